import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CrowdLedger,
  type CrowdLedgerClient,
  type FabricCaClient,
  issueHolderCertificate,
  type IssuedCertificate,
  openAssetCa,
  REISSUE_REASON,
} from '../../client/src';
import {
  failureCode,
  networkHome,
  opensslSays,
  platformIdKey,
  profilePath,
  residentId,
  uniqueSuffix,
} from './support';

// A holder lost the key of their asset certificate: the platform reissues.
// The old certificate must be dead everywhere before the new one is live —
// revoked at the asset CA (and in its CRL) and on the ledger — so that the
// holding never has two certificates that work.

const suffix = uniqueSuffix();
const assetCaCert = join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem');
const noPersonal = { personalAttributes: false } as const;

let dir: string;
let sdk: CrowdLedgerClient;
let ca: FabricCaClient;
let assetId = '';
let holderId = '';
let first: IssuedCertificate;
let second: IssuedCertificate;

const credentials = (c: IssuedCertificate) => ({
  certificate: c.certificatePem,
  privateKey: c.privateKeyPem,
});

/** What openssl says of a certificate against the asset CA and a CRL. */
async function verify(name: string, pem: string, crlPem: string): Promise<string> {
  const cert = join(dir, `${name}.pem`);
  const crl = join(dir, `${name}.crl.pem`);
  await writeFile(cert, pem);
  await writeFile(crl, crlPem);
  return opensslSays(['verify', '-crl_check', '-CAfile', assetCaCert, '-CRLfile', crl, cert]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-reissue-it-'));
  sdk = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  ca = await openAssetCa(profilePath('platform1'));
  holderId = (
    await sdk.users.register({
      // Not the asset's reference: that one is public (an argument of assets:Register), a user's never is.
      platformRef: `reissue-holder-${suffix}`,
      name: `补发${suffix}`,
      idType: 'RESIDENT_ID',
      idNumber: residentId(),
    })
  ).userId;
  assetId = (
    await sdk.assets.register({
      assetRef: `reissue-${suffix}`,
      attributes: {
        name: '证书补发测试',
        category: 'FUND',
        description: '丢失私钥后补发持有证书',
        currency: 'CNY',
        documents: [{ name: 'terms.pdf', sha256: 'e'.repeat(64), uri: 'https://docs.example/t.pdf' }],
      },
      rights: {
        voting: { enabled: false, votesPerUnit: 0 },
        dividend: { enabled: false, policy: '' },
        otherTerms: [],
      },
      totalUnits: 50,
      holders: [{ userId: holderId, units: 50 }],
    })
  ).assetId;
  first = await sdk.certificates.issue(assetId, holderId, noPersonal);
});

afterAll(async () => {
  sdk.close();
  await rm(dir, { recursive: true, force: true });
});

describe('certificates issue --reissue', () => {
  it('is refused without reissue while the first certificate is on record', async () => {
    expect(await failureCode(sdk.certificates.issue(assetId, holderId, noPersonal))).toBe(
      'CERTIFICATE_NOT_DUE',
    );
    expect((await sdk.certificates.query(credentials(first))).holding.certificateSerial).toBe(
      first.record.serial,
    );
  });

  it('revokes the first certificate at the CA and on the ledger, then records the second', async () => {
    second = await sdk.certificates.issue(assetId, holderId, { ...noPersonal, reissue: true });
    expect(second.record).toMatchObject({ status: 'ACTIVE' });
    expect(second.record.serial).not.toBe(first.record.serial);
    expect(second.enrollmentId).toBe(first.enrollmentId);
    expect(second.replaced?.record).toMatchObject({
      serial: first.record.serial,
      status: 'REVOKED',
      revocationReason: REISSUE_REASON,
    });
    expect(second.replaced?.atCa).toMatchObject({ serial: first.record.serial, newlyRevoked: true });
    const history = await sdk.audit.history('certificate', `${assetId}/${holderId}`);
    expect(history.map((e) => [e.value?.serial, e.value?.status])).toEqual([
      [second.record.serial, 'ACTIVE'],
      [first.record.serial, 'REVOKED'],
      [first.record.serial, 'ACTIVE'],
    ]);
  });

  it('gives the old certificate nothing and the new one the holding', async () => {
    expect(await failureCode(sdk.certificates.query(credentials(first)))).toBe('CERTIFICATE_INVALID');
    const view = await sdk.certificates.query(credentials(second));
    expect(view.holding).toMatchObject({ units: 50, certificateSerial: second.record.serial });
  });

  it("lists the old certificate in the CA's CRL, and not the new one", async () => {
    const crl = second.replaced?.atCa.crlPem ?? '';
    expect(await verify('first', first.certificatePem, crl)).toContain('certificate revoked');
    const fresh = await verify('second', second.certificatePem, await ca.generateCrl());
    expect(fresh.trim()).toMatch(/: OK$/);
    const live = await ca.listCertificates({ enrollmentId: second.enrollmentId, notRevoked: true });
    expect(live.map((c) => c.serial)).toEqual([second.record.serial]);
  });

  it('refuses to record the old certificate again, and writes nothing', async () => {
    const before = (await sdk.audit.history('certificate', `${assetId}/${holderId}`)).length;
    const code = await failureCode(sdk.certificates.record(assetId, holderId, first.certificatePem));
    expect(code).toBe('CERTIFICATE_INVALID');
    expect(await sdk.audit.history('certificate', `${assetId}/${holderId}`)).toHaveLength(before);
    expect((await sdk.certificates.get(assetId, holderId)).serial).toBe(second.record.serial);
  });

  it('refuses a third certificate recorded beside the active one, without a revocation first', async () => {
    // Straight from the CA, as a platform bypassing reissue would: the ledger keeps the second.
    const idKey = await platformIdKey('platform1');
    const third = await issueHolderCertificate(ca, { platform: 'platform1', assetId, holderId, idKey });
    const before = (await sdk.audit.history('certificate', `${assetId}/${holderId}`)).length;
    const code = await failureCode(sdk.certificates.record(assetId, holderId, third.certificatePem));
    expect(code).toBe('CERTIFICATE_INVALID');
    expect(await sdk.audit.history('certificate', `${assetId}/${holderId}`)).toHaveLength(before);
    expect(
      await failureCode(
        sdk.certificates.query({ certificate: third.certificatePem, privateKey: third.privateKeyPem ?? '' }),
      ),
    ).toBe('CERTIFICATE_INVALID');
    // Tidy: that stray certificate goes, the recorded one stays live.
    await ca.revoke({ serial: third.parsed.serial, reason: 'superseded', genCrl: false });
    expect((await sdk.certificates.query(credentials(second))).holding.certificateSerial).toBe(
      second.record.serial,
    );
  });
});
