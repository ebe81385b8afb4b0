import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrowdLedger } from './crowdledger';
import type { CrowdLedgerOptions, ExplicitOptions } from './options';
import { parseProfile } from './profile';
import { userIdFor } from '@crowdledger/protocol';

const SECRET = 'c3'.repeat(32);

const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const certPem = '-----BEGIN CERTIFICATE-----\nnot parsed before the first call\n-----END CERTIFICATE-----\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-client-'));
  await writeFile(join(dir, 'tls.pem'), certPem);
  await writeFile(join(dir, 'key.pem'), keyPem);
  await writeFile(join(dir, 'cert.pem'), certPem);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const explicit = (): ExplicitOptions => ({
  peerEndpoint: '127.0.0.1:1',
  tlsRootCert: certPem,
  mspId: 'Platform1MSP',
  certificate: certPem,
  privateKey: join(dir, 'key.pem'),
});

describe('CrowdLedger.connect', () => {
  it('takes explicit settings, PEM text and paths alike, and dials nothing until a call', async () => {
    const client = await CrowdLedger.connect({ ...explicit(), referenceSecret: SECRET });
    expect(client.mspId).toBe('Platform1MSP');
    expect(client.users.idFor('alice')).toBe(userIdFor('Platform1MSP', SECRET, 'alice'));
    client.close();
  });

  it("reads the reference secret from a file, the profile's by default, and refuses a malformed one", async () => {
    await writeFile(join(dir, 'reference.secret'), `${SECRET}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'bad.secret'), 'not-a-secret\n');
    const fromFile = await CrowdLedger.connect({
      ...explicit(),
      referenceSecret: join(dir, 'reference.secret'),
    });
    expect(fromFile.users.idFor('alice')).toBe(userIdFor('Platform1MSP', SECRET, 'alice'));
    fromFile.close();
    const profile = parseProfile(
      {
        org: 'platform1',
        mspId: 'Platform1MSP',
        channel: 'crowdledger',
        chaincode: 'crowdledger',
        peers: [{ name: 'peer0.platform1', endpoint: '127.0.0.1:1', tlsRootCert: 'tls.pem' }],
        identities: { app: { cert: 'cert.pem', key: 'key.pem' } },
        referenceSecret: 'reference.secret',
      },
      join(dir, 'platform1.json'),
    );
    await using fromProfile = await CrowdLedger.connect({ profile, identity: 'app' });
    expect(fromProfile.users.idFor('alice')).toBe(userIdFor('Platform1MSP', SECRET, 'alice'));
    const bad = CrowdLedger.connect({ ...explicit(), referenceSecret: join(dir, 'bad.secret') });
    await expect(bad).rejects.toThrow(
      `INVALID_OPTIONS: the reference secret in ${join(dir, 'bad.secret')} must be 64 lower-case hex digits`,
    );
    await using without = await CrowdLedger.connect(explicit());
    expect(() => without.users.idFor('alice')).toThrow(/^REFERENCE_SECRET_MISSING: /);
  });

  it('takes a profile object and an identity given directly, keeping its MSP', async () => {
    const profile = parseProfile(
      {
        org: 'registry',
        mspId: 'RegistryMSP',
        channel: 'crowdledger',
        chaincode: 'crowdledger',
        peers: [{ name: 'peer0.registry', endpoint: '127.0.0.1:1', tlsRootCert: 'tls.pem' }],
        identities: {},
      },
      join(dir, 'registry.json'),
    );
    const holder = { certificate: join(dir, 'cert.pem'), privateKey: keyPem };
    await using client = await CrowdLedger.connect({ profile, identity: holder });
    expect(client.mspId).toBe('RegistryMSP');
  });

  it('closes idempotently, and refuses calls afterwards with CLIENT_CLOSED', async () => {
    const client = await CrowdLedger.connect(explicit());
    client.close();
    client.close();
    await client[Symbol.asyncDispose]();
    await expect(client.users.get(`U${'0'.repeat(32)}`)).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(client.audit.history('user', `U${'0'.repeat(32)}`)).rejects.toMatchObject({
      code: 'CLIENT_CLOSED',
    });
  });

  it('names what is wrong with the options', async () => {
    await expect(
      CrowdLedger.connect({
        ...explicit(),
        profile: 'p.json',
        identity: 'app',
      } as unknown as CrowdLedgerOptions),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(CrowdLedger.connect({ ...explicit(), peerEndpoint: 'no-port' })).rejects.toThrow(
      'INVALID_OPTIONS: peerEndpoint must be host:port, not no-port',
    );
    await expect(
      CrowdLedger.connect({ ...explicit(), privateKey: join(dir, 'missing.pem') }),
    ).rejects.toThrow(`FILE_UNREADABLE: cannot read identity private key ${join(dir, 'missing.pem')}`);
    await expect(CrowdLedger.connect({ ...explicit(), privateKey: certPem })).rejects.toMatchObject({
      code: 'INVALID_IDENTITY',
    });
    await expect(CrowdLedger.connect({ ...explicit(), retry: { attempts: 0 } })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});
