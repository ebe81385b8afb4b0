import { X509Certificate } from 'node:crypto';
import { CertificateRecord } from '../model/certificate-record';
import { Holding } from '../model/holding';
import { makeTestPki, type TestPki } from '../testing/pki';
import { ALICE, FUND, HOLDER_CERTS } from '../testing/world';
import {
  nextCertificateRecord,
  requireActiveRecord,
  requireHolder,
  revokedRecord,
} from './certificate-records';

let pki: TestPki;
let cert: X509Certificate;

beforeAll(() => {
  pki = makeTestPki({ alice: HOLDER_CERTS.alice });
  cert = new X509Certificate(pki.holders['alice'] ?? '');
});

const ref = {
  assetId: FUND,
  holderId: ALICE,
  enrollmentId: 'holder-0000000000000000000000000000000000000000',
};
const at = new Date();

function recordValidFrom(notBefore: string): CertificateRecord {
  return new CertificateRecord({
    ...ref,
    serial: '01',
    issuer: 'O=Registry, CN=asset-ca',
    fingerprint: 'f'.repeat(64),
    notBefore,
    notAfter: '2100-01-02T00:00:00.000Z',
    status: 'ACTIVE',
    recordedAt: '2024-01-01T00:00:00.000Z',
  });
}

function revokedValidFrom(notBefore: string): CertificateRecord {
  return recordValidFrom(notBefore).revoked({ revokedAt: at.toISOString(), revocationReason: 'key lost' });
}

describe('nextCertificateRecord', () => {
  it('makes a first record', () => {
    expect(nextCertificateRecord(undefined, cert, ref, at)).toMatchObject({
      changed: true,
      record: { status: 'ACTIVE' },
    });
  });

  it('refuses a certificate older than the recorded one, so a superseded one cannot return', () => {
    expect(() => nextCertificateRecord(revokedValidFrom('2100-01-01T00:00:00.000Z'), cert, ref, at)).toThrow(
      /^CERTIFICATE_INVALID: this certificate \(valid from .*\) is older than the recorded one \(valid from 2100-01-01T00:00:00.000Z\)$/,
    );
  });

  it('refuses another certificate while the recorded one is active: it must be revoked first', () => {
    expect(() => nextCertificateRecord(recordValidFrom('2000-01-01T00:00:00.000Z'), cert, ref, at)).toThrow(
      `CERTIFICATE_INVALID: the certificate of ${FUND}/${ALICE} with serial 01 is still active: revoke it (certificates:Revoke) before recording another`,
    );
  });

  it('replaces an older certificate once it is revoked', () => {
    const next = nextCertificateRecord(revokedValidFrom('2000-01-01T00:00:00.000Z'), cert, ref, at);
    expect(next.changed).toBe(true);
    expect(next.record).toMatchObject({ status: 'ACTIVE', serial: cert.serialNumber.toUpperCase() });
    expect(next.record.fingerprint).not.toBe('f'.repeat(64));
  });
});

describe('record checks', () => {
  it('requireHolder refuses a missing holding with NOT_HOLDER', () => {
    expect(() => requireHolder(undefined, ref)).toThrow(
      `NOT_HOLDER: user ${ALICE} holds no units of ${FUND}`,
    );
    const holding = new Holding({ ...ref, userId: ALICE, units: 1, escrowed: 0, certificate: 'DUE' });
    expect(requireHolder(holding, ref)).toBe(holding);
  });

  it('requireActiveRecord refuses a missing record', () => {
    expect(() => requireActiveRecord(undefined, 'f'.repeat(64))).toThrow(/^CERTIFICATE_INVALID: /);
  });

  it('revokedRecord keeps the certificate facts and adds the revocation', () => {
    const revoked = revokedRecord(recordValidFrom('2000-01-01T00:00:00.000Z'), ref, 'lost', at);
    expect(revoked).toMatchObject({ serial: '01', status: 'REVOKED', revocationReason: 'lost' });
    expect(JSON.parse(Buffer.from(revoked.toBytes()).toString('utf8'))).toHaveProperty(
      'revokedAt',
      at.toISOString(),
    );
  });
});
