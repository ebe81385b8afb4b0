import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createKeyAndCsr,
  CrowdLedger,
  type CrowdLedgerClient,
  type FabricCaClient,
  type HolderCertificate,
  holderEnrollmentId,
  ID_MASK_ATTRIBUTE,
  issueHolderCertificate,
  type IssuedCertificate,
  maskIdNumber,
  NAME_ATTRIBUTE,
  openAssetCa,
  parseHolderCertificate,
} from '../../client/src';
import { networkHome, opensslSays, platformIdKey, profilePath, residentId, uniqueSuffix } from './support';

// One enrollment ID can hold several certificates: an issue whose result was
// lost enrolled one, its retry another, and the ledger knows only the second.
// The retry revokes the lost one before it enrolls (#23); a certificate
// enrolled under the ID by anything else — another process at the same
// moment — stays live beside the recorded one. Revoking the holding through
// the SDK must revoke both, by serial, so the ID can still enroll again.

const suffix = uniqueSuffix();
const assetCaCert = join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem');

let dir: string;
let sdk: CrowdLedgerClient;
let platform1Ca: FabricCaClient;
let platform2Ca: FabricCaClient;
let assetId = '';
let holderId = '';
let lost: HolderCertificate;
let recorded: IssuedCertificate;
/** A certificate enrolled under the holding's ID outside the SDK's issue: the live sibling. */
let stray = { serial: '', pem: '' };
let crlFile = '';

async function pemFile(name: string, pem: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, pem);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-siblings-it-'));
  sdk = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform1Ca = await openAssetCa(profilePath('platform1'));
  platform2Ca = await openAssetCa(profilePath('platform2'));
  const holder = await sdk.users.register({
    platformRef: `sibling-${suffix}`,
    name: `王小明${suffix}`,
    idType: 'RESIDENT_ID',
    idNumber: residentId(),
  });
  holderId = holder.userId;
  const registered = await sdk.assets.register({
    assetRef: `siblings-${suffix}`,
    attributes: {
      name: '社区光伏收益权',
      category: 'FUND',
      description: '同一持有人的多张证书',
      currency: 'CNY',
      documents: [{ name: 'terms.pdf', sha256: 'c'.repeat(64), uri: 'https://docs.example/t.pdf' }],
    },
    rights: {
      voting: { enabled: false, votesPerUnit: 0 },
      dividend: { enabled: true, policy: 'Yearly, pro rata.' },
      otherTerms: [],
    },
    totalUnits: 100,
    holders: [{ userId: holderId, units: 100 }],
  });
  assetId = registered.assetId;
});

afterAll(async () => {
  sdk.close();
  await rm(dir, { recursive: true, force: true });
});

describe('revoking a holding with several certificates under one enrollment ID', () => {
  it('issues twice under the same enrollment ID: a lost result, then the certificate the ledger records', async () => {
    // With the attributes the SDK writes, so that Fabric CA sees the same holding.
    const personal = await sdk.users.personalData(holderId);
    const extraAttrs = {
      [NAME_ATTRIBUTE]: personal.name,
      [ID_MASK_ATTRIBUTE]: maskIdNumber(personal.idNumber),
    };
    const idKey = await platformIdKey('platform1');
    lost = await issueHolderCertificate(platform1Ca, {
      platform: 'platform1',
      assetId,
      holderId,
      extraAttrs,
      idKey,
    });
    recorded = await sdk.certificates.issue(assetId, holderId);
    expect(lost.enrollmentId).toBe(holderEnrollmentId(idKey, assetId, holderId));
    expect(recorded.record.enrollmentId).toBe(lost.enrollmentId);
    expect(recorded.enrollmentId).toBe(lost.enrollmentId);
    expect(recorded.record.serial).not.toBe(lost.parsed.serial);

    // The retry revoked the lost result's certificate before enrolling: one live certificate.
    const afterRetry = await platform1Ca.listCertificates({
      enrollmentId: lost.enrollmentId,
      notRevoked: true,
    });
    expect(afterRetry.map((c) => c.serial)).toEqual([recorded.record.serial]);

    // Another process enrolls under the same ID at the same moment: a live sibling the ledger never sees.
    const secret = `stray-${suffix}`;
    const identity = await platform1Ca.getIdentity(lost.enrollmentId);
    await platform1Ca.modifyIdentity(lost.enrollmentId, {
      secret,
      maxEnrollments: (identity?.maxEnrollments ?? 0) + 1,
    });
    const { csrPem } = await createKeyAndCsr(lost.enrollmentId);
    const enrolled = await platform1Ca.enroll({ enrollmentId: lost.enrollmentId, secret, csr: csrPem });
    stray = { serial: parseHolderCertificate(enrolled.certificatePem).serial, pem: enrolled.certificatePem };

    const listed = await platform1Ca.listCertificates({ enrollmentId: lost.enrollmentId, notRevoked: true });
    expect(listed.map((c) => c.serial).sort()).toEqual([stray.serial, recorded.record.serial].sort());
    expect(listed.every((c) => c.enrollmentId === lost.enrollmentId && c.revoked === false)).toBe(true);
    const [bySerial] = await platform1Ca.listCertificates({ serial: recorded.record.serial });
    expect(bySerial).toMatchObject({ serial: recorded.record.serial, enrollmentId: lost.enrollmentId });
    expect(bySerial?.certificatePem.trim()).toBe(recorded.certificatePem.trim());
  });

  it("lists nothing of platform1's holder to platform2's registrar (an empty list, not a refusal)", async () => {
    // lib/certdbaccessor.go joins users and keeps the caller's affiliation and below.
    expect(await platform2Ca.listCertificates({ enrollmentId: lost.enrollmentId })).toEqual([]);
    expect(await platform2Ca.listCertificates({ serial: recorded.record.serial })).toEqual([]);
  });

  it('revokes both at the CA through the SDK, by serial, and the CRL lists both serials', async () => {
    const result = await sdk.certificates.revoke(assetId, holderId, 'phone lost', {
      caReason: 'keycompromise',
    });
    expect(result.record.status).toBe('REVOKED');
    expect(result.atCa).toMatchObject({
      serial: recorded.record.serial,
      newlyRevoked: true,
      enrollmentId: lost.enrollmentId,
    });
    expect([...result.atCa.revokedSerials].sort()).toEqual([stray.serial, recorded.record.serial].sort());

    crlFile = await pemFile('assetca.crl.pem', result.atCa.crlPem);
    const text = await opensslSays(['crl', '-in', crlFile, '-noout', '-text']);
    expect(text).toContain(`Serial Number: ${lost.parsed.serial}`);
    expect(text).toContain(`Serial Number: ${stray.serial}`);
    expect(text).toContain(`Serial Number: ${recorded.record.serial}`);
    for (const [name, pem] of [
      ['lost', lost.certificatePem],
      ['stray', stray.pem],
      ['recorded', recorded.certificatePem],
    ] as const) {
      const cert = await pemFile(`${name}.pem`, pem);
      const verdict = await opensslSays([
        'verify',
        '-crl_check',
        '-CAfile',
        assetCaCert,
        '-CRLfile',
        crlFile,
        cert,
      ]);
      expect(verdict).toContain('certificate revoked');
    }
    expect(await platform1Ca.listCertificates({ enrollmentId: lost.enrollmentId, notRevoked: true })).toEqual(
      [],
    );
    expect(await platform1Ca.listCertificates({ enrollmentId: lost.enrollmentId })).toHaveLength(3);
  });

  it('repeats harmlessly: everything was revoked already', async () => {
    const again = await sdk.certificates.revoke(assetId, holderId, 'phone lost');
    expect(again.atCa).toMatchObject({ newlyRevoked: false, revokedSerials: [] });
  });

  it('issues again afterwards under the same enrollment ID, and the new certificate is not in the CRL', async () => {
    const next = await sdk.certificates.issue(assetId, holderId);
    expect(next.enrollmentId).toBe(lost.enrollmentId);
    expect([lost.parsed.serial, recorded.record.serial]).not.toContain(next.record.serial);
    const cert = await pemFile('next.pem', next.certificatePem);
    const crl = await pemFile('assetca-now.crl.pem', await platform1Ca.generateCrl());
    const verdict = await opensslSays([
      'verify',
      '-crl_check',
      '-CAfile',
      assetCaCert,
      '-CRLfile',
      crl,
      cert,
    ]);
    expect(verdict.trim()).toBe(`${cert}: OK`);
    const live = await platform1Ca.listCertificates({ enrollmentId: lost.enrollmentId, notRevoked: true });
    expect(live.map((c) => c.serial)).toEqual([next.record.serial]);
  });
});
