import { FAKE_CRL, FakeCa } from '../testing/fake-ca';
import { CaErrorCode, FabricCaError } from './errors';
import { holderEnrollmentId, revokeHolderCertificate, revokeHolderCertificates } from './holder';

const ID_KEY = Buffer.alloc(32, 7);
const ID = holderEnrollmentId(ID_KEY, 'A-9c', 'U-3f');
const OTHER_ID = holderEnrollmentId(ID_KEY, 'A-9c', 'U-00');

/** Serials asked of the CA's revoke, in order. */
const revokedBy = (ca: FakeCa): string[] =>
  ca.requests.map((r) => ('serial' in r ? r.serial : r.enrollmentId));

describe('revokeHolderCertificate', () => {
  it('revokes the recorded serial and every sibling of its enrollment ID, by serial, and makes one CRL', async () => {
    // 0A recorded on the ledger; 0B and 0C enrolled by retried issues whose results were lost.
    const ca = new FakeCa().issued(ID, '0A', '0B', '0C').issued(OTHER_ID, '0D');
    const revocation = await revokeHolderCertificate(ca, '0a', 'keycompromise');
    expect(revocation).toEqual({
      serial: '0A',
      newlyRevoked: true,
      revokedSerials: ['0A', '0B', '0C'],
      enrollmentId: ID,
      crlPem: FAKE_CRL,
    });
    expect(revokedBy(ca)).toEqual(['0A', '0B', '0C']);
    expect(ca.requests.every((r) => r.reason === 'keycompromise' && !r.genCrl)).toBe(true);
    expect(ca.requests.some((r) => 'enrollmentId' in r)).toBe(false);
    expect(ca.revoked.has('0D')).toBe(false);
    expect(ca.crlsGenerated).toBe(1);
    expect(ca.listings).toEqual([{ serial: '0A' }, { enrollmentId: ID, notRevoked: true }]);
  });

  it('ignores certificates the CA had revoked already (code 66), and a repeat revokes nothing', async () => {
    const ca = new FakeCa().issued(ID, '0A', '0B', '0C');
    ca.revoked.add('0A');
    ca.revoked.add('0B');
    const first = await revokeHolderCertificate(ca, '0A', 'unspecified');
    expect(first).toMatchObject({ newlyRevoked: false, revokedSerials: ['0C'] });
    // The listing left the revoked 0B out; 0A was asked for by name and answered 66.
    expect(revokedBy(ca)).toEqual(['0A', '0C']);
    const again = await revokeHolderCertificate(ca, '0A', 'unspecified');
    expect(again).toMatchObject({ newlyRevoked: false, revokedSerials: [], crlPem: FAKE_CRL });
    expect(ca.crlsGenerated).toBe(2);
  });

  it('treats a sibling revoked between the listing and its revocation as already revoked', async () => {
    const ca = new FakeCa().issued(ID, '0A', '0B');
    const list = ca.listCertificates.bind(ca);
    ca.listCertificates = async (query) => {
      const listed = await list(query);
      if (query.enrollmentId !== undefined) {
        ca.revoked.add('0B'); // someone else got there first
      }
      return listed;
    };
    expect(await revokeHolderCertificate(ca, '0A', 'unspecified')).toMatchObject({ revokedSerials: ['0A'] });
  });

  it('revokes just the serial when the CA shows no certificate for it (another registrar, unknown serial)', async () => {
    const ca = new FakeCa().issued(ID, '0B');
    const revocation = await revokeHolderCertificate(ca, '0A', 'unspecified');
    expect(revocation).toEqual({
      serial: '0A',
      newlyRevoked: true,
      revokedSerials: ['0A'],
      enrollmentId: undefined,
      crlPem: FAKE_CRL,
    });
    expect(ca.revoked.has('0B')).toBe(false);
  });

  it('passes other refusals through, without generating a CRL', async () => {
    const ca = new FakeCa().issued(ID, '0A', '0B');
    ca.revoke = () =>
      Promise.reject(
        new FabricCaError(CaErrorCode.refused, 'no', {
          operation: 'revoke',
          details: [{ code: 71, message: 'no' }],
        }),
      );
    await expect(revokeHolderCertificate(ca, '0A', 'unspecified')).rejects.toMatchObject({ caCode: 71 });
    expect(ca.crlsGenerated).toBe(0);
  });
});

describe('revokeHolderCertificates', () => {
  it('keeps the live certificate, lists each enrollment ID once, and makes one CRL for all', async () => {
    // 0A and 0B were recorded and revoked on the ledger, 0C is the holding's live
    // certificate, 0E was enrolled by a retry whose result was lost.
    const ca = new FakeCa().issued(ID, '0A', '0B', '0C', '0E');
    const revocations = await revokeHolderCertificates(ca, ['0A', '0B', '0a'], 'cessationofoperation', {
      keep: ['0c'],
    });
    expect(revocations.map((r) => [r.serial, r.newlyRevoked, r.revokedSerials])).toEqual([
      ['0A', true, ['0A', '0E']],
      ['0B', true, ['0B']],
    ]);
    expect(revocations.every((r) => r.crlPem === FAKE_CRL && r.enrollmentId === ID)).toBe(true);
    expect(ca.revoked.has('0C')).toBe(false);
    expect(ca.listings.filter((q) => q.enrollmentId !== undefined)).toHaveLength(1);
    expect(ca.crlsGenerated).toBe(1);
  });

  it('revokes a serial asked for by name even when it is listed to keep', async () => {
    const ca = new FakeCa().issued(ID, '0A');
    const [revocation] = await revokeHolderCertificates(ca, ['0A'], 'unspecified', { keep: ['0A'] });
    expect(revocation?.newlyRevoked).toBe(true);
  });
});
