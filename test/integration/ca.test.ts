import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CaErrorCode,
  createKeyAndCsr,
  type FabricCaClient,
  holderEnrollmentId,
  type HolderCertificate,
  isFabricCaError,
  issueHolderCertificate,
  loadProfile,
  openAssetCa,
  toPkcs12,
} from '../../client/src';
import { networkHome, opensslSays, platformIdKey, profilePath, uniqueSuffix } from './support';

const run = promisify(execFile);

const assetId = `A-${uniqueSuffix()}`;
const holderId = `U-${uniqueSuffix()}`;
const assetCaCert = join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem');
let dir: string;
let platform1: FabricCaClient;
let platform2: FabricCaClient;
let issued: HolderCertificate;
let againSerial = '';
let idKey: Buffer;

/** Writes the holder's certificate and key where connect() can read them. */
async function holderFiles(holder: HolderCertificate, name: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.cert.pem`);
  const key = join(dir, `${name}.key.pem`);
  await writeFile(cert, holder.certificatePem);
  await writeFile(key, holder.privateKeyPem ?? '', { mode: 0o600 });
  return { cert, key };
}

async function refusal(call: Promise<unknown>): Promise<{ code: string; caCode: number | undefined }> {
  try {
    await call;
  } catch (error) {
    if (isFabricCaError(error)) {
      return { code: error.code, caCode: error.caCode };
    }
    throw error;
  }
  throw new Error('expected Fabric CA to refuse');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-ca-it-'));
  platform1 = await openAssetCa(profilePath('platform1'));
  const profile = await loadProfile(profilePath('platform2'));
  platform2 = await openAssetCa(profile);
  idKey = await platformIdKey('platform1');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('asset certificates from the registry asset CA, through the SDK', () => {
  it('issues a holder certificate through platform1 that chains to the asset CA and names the holding', async () => {
    issued = await issueHolderCertificate(platform1, { platform: 'platform1', assetId, holderId, idKey });

    expect(issued.enrollmentId).toBe(holderEnrollmentId(idKey, assetId, holderId));
    expect(issued.enrollmentId).toMatch(/^holder-[0-9a-f]{40}$/);
    expect(issued.parsed.subject).toContain(`CN=${issued.enrollmentId}`);
    expect(issued.parsed.attributes).toMatchObject({
      'crowdledger.asset': assetId,
      'crowdledger.holder': holderId,
    });
    expect(issued.parsed.issuer).toContain('CN=assetca.registry');
    const files = await holderFiles(issued, 'holder');
    const { stdout } = await run('openssl', ['verify', '-CAfile', assetCaCert, files.cert]);
    expect(stdout.trim()).toBe(`${files.cert}: OK`);
  });

  it('packs the certificate, key and chain into a PKCS#12 openssl opens', async () => {
    const p12 = join(dir, 'holder.p12');
    await writeFile(
      p12,
      await toPkcs12({
        ...issued,
        privateKeyPem: issued.privateKeyPem ?? '',
        passphrase: 'holder pass',
        friendlyName: issued.enrollmentId,
      }),
    );
    const { stdout } = await run('openssl', [
      'pkcs12',
      '-nokeys',
      '-clcerts',
      '-passin',
      'pass:holder pass',
      '-in',
      p12,
    ]);
    expect(stdout).toContain(issued.certificatePem.split('\n')[1]);
  });

  it('issues again for the same holding after a lost result, with a new key, revoking the lost one first', async () => {
    const again = await issueHolderCertificate(platform1, {
      platform: 'platform1',
      assetId,
      holderId,
      idKey,
    });
    expect(again.enrollmentId).toBe(issued.enrollmentId);
    expect(again.parsed.serial).not.toBe(issued.parsed.serial);
    expect(again.privateKeyPem).not.toBe(issued.privateKeyPem);
    againSerial = again.parsed.serial;
    // One live certificate per holding at the CA: the lost result's is revoked (#23).
    const live = await platform1.listCertificates({ enrollmentId: issued.enrollmentId, notRevoked: true });
    expect(live.map((c) => c.serial)).toEqual([again.parsed.serial]);
  });

  it("certifies a request made on the holder's side, so the key never leaves it", async () => {
    const holder = `U-own-key-${uniqueSuffix()}`;
    let kept = '';
    const own = await issueHolderCertificate(platform1, {
      platform: 'platform1',
      assetId,
      holderId: holder,
      idKey,
      csr: async (enrollmentId) => {
        const made = await createKeyAndCsr(enrollmentId);
        kept = made.privateKeyPem;
        return made.csrPem;
      },
    });
    expect(own.privateKeyPem).toBeUndefined();
    const spki = (pem: string): string =>
      createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
    expect(spki(own.certificatePem)).toBe(spki(kept));
  });

  it('refuses a holder request whose CN is not the enrollment ID, as Fabric CA says it does', async () => {
    const error = await refusal(
      issueHolderCertificate(platform1, {
        platform: 'platform1',
        assetId,
        holderId: `U-wrong-cn-${uniqueSuffix()}`,
        idKey,
        csr: async () => (await createKeyAndCsr('holder-of-my-own-choice')).csrPem,
      }),
    );
    expect(error.code).toBe(CaErrorCode.refused);
  });

  it.each([
    ['crowdledger.role', 'admin'],
    ['hf.Registrar.Roles', 'client'],
    ['hf.Revoker', 'true'],
    ['crowdledger.units', '1000000'],
  ])(
    'refuses platform1 the attribute %s (its registrar may set only the four holder attributes)',
    async (name, value) => {
      const register = platform1.register({
        enrollmentId: `rogue-${uniqueSuffix()}`,
        affiliation: 'platform1',
        type: 'client',
        attrs: [{ name, value, ecert: true }],
        maxEnrollments: 1,
      });
      expect(await refusal(register)).toMatchObject({ code: CaErrorCode.refused });
    },
  );

  it('lets platform1 set exactly the holder attributes, and refuses another affiliation', async () => {
    const attrs = ['crowdledger.asset', 'crowdledger.holder', 'crowdledger.name', 'crowdledger.idmask'].map(
      (name) => ({ name, value: 'x', ecert: true }),
    );
    const enrollmentId = `allowed-${uniqueSuffix()}`;
    await platform1.register({
      enrollmentId,
      affiliation: 'platform1',
      type: 'client',
      attrs,
      maxEnrollments: 1,
    });
    expect((await platform1.getIdentity(enrollmentId))?.attrs.map((a) => a.name)).toEqual(
      expect.arrayContaining(attrs.map((a) => a.name)),
    );
    const elsewhere = platform1.register({
      enrollmentId: `elsewhere-${uniqueSuffix()}`,
      affiliation: 'platform2',
      type: 'client',
      attrs,
      maxEnrollments: 1,
    });
    expect(await refusal(elsewhere)).toMatchObject({ code: CaErrorCode.refused });
  });

  it("refuses platform2 the revocation of platform1's holder", async () => {
    const revoke = platform2.revoke({
      enrollmentId: issued.enrollmentId,
      reason: 'keycompromise',
      genCrl: true,
    });
    expect(await refusal(revoke)).toEqual({ code: CaErrorCode.refused, caCode: 71 });
  });

  it("hides platform1's holder from platform2's registrar, and shows it to platform1's", async () => {
    const seen = await platform1.getIdentity(issued.enrollmentId);
    expect(seen).toMatchObject({ id: issued.enrollmentId, type: 'client', affiliation: 'platform1' });
    expect(seen?.attrs.map((a) => a.name)).toEqual(
      expect.arrayContaining(['crowdledger.asset', 'crowdledger.holder']),
    );
    const hidden = await refusal(platform2.getIdentity(issued.enrollmentId));
    expect(hidden.code).toBe(CaErrorCode.refused);
  });

  it('revokes through platform1: the CRL lists the serial and openssl calls the certificate revoked', async () => {
    const revocation = await platform1.revoke({
      enrollmentId: issued.enrollmentId,
      reason: 'keycompromise',
      genCrl: true,
    });
    // The lost result's certificate was revoked when the holding was issued again.
    expect(revocation.revokedSerials).toEqual([againSerial]);

    const crl = join(dir, 'assetca.crl.pem');
    await writeFile(crl, revocation.crlPem ?? '');
    const { stdout: text } = await run('openssl', ['crl', '-in', crl, '-noout', '-text']);
    expect(text).toContain(`Serial Number: ${issued.parsed.serial}`);
    expect(text).toContain('Issuer: C = CN, O = registry, CN = assetca.registry');

    const holderCert = join(dir, 'holder.cert.pem');
    const verdict = await opensslSays([
      'verify',
      '-crl_check',
      '-CAfile',
      assetCaCert,
      '-CRLfile',
      crl,
      holderCert,
    ]);
    expect(verdict).toContain('certificate revoked');

    expect(await platform1.generateCrl()).toContain('-----BEGIN X509 CRL-----');
  });

  it('issues a revoked holding again under its next enrollment ID (R6)', async () => {
    const again = await issueHolderCertificate(platform1, {
      platform: 'platform1',
      assetId,
      holderId,
      idKey,
    });
    expect(again.enrollmentId).toBe(holderEnrollmentId(idKey, assetId, holderId, 2));
    expect(again.parsed.serial).not.toBe(issued.parsed.serial);
  });
});
