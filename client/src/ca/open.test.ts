import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCrowdLedgerError } from '../errors';
import { parseProfile } from '../profile';
import { openAssetCa } from './open';

const dir = mkdtempSync(join(tmpdir(), 'crowdledger-open-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function platformProfile(assetCa: unknown): Record<string, unknown> {
  return {
    org: 'platform1',
    mspId: 'Platform1MSP',
    channel: 'crowdledger',
    chaincode: 'crowdledger',
    peers: [{ name: 'peer0.platform1', endpoint: '127.0.0.1:7140', tlsRootCert: '/abs/tlsca-cert.pem' }],
    identities: { app: { cert: '/abs/app/cert.pem', key: '/abs/app/key.pem' } },
    assetCa,
  };
}

const assetCa = {
  url: 'https://127.0.0.1:7000',
  caName: 'assetca',
  tlsRootCert: '../registry/tlsca-cert.pem',
  registrar: { cert: '/abs/registrar/cert.pem', key: 'registrar/key.pem' },
};

function problem(json: unknown): string {
  try {
    parseProfile(json, '/home/p/profiles/platform1.json');
  } catch (error) {
    if (isCrowdLedgerError(error) && error.code === 'INVALID_PROFILE') {
      return error.sentence;
    }
    throw error;
  }
  throw new Error('profile was accepted');
}

describe('the assetCa section of a platform profile', () => {
  it('is read, with relative paths resolved against the profile folder', () => {
    expect(parseProfile(platformProfile(assetCa), '/home/p/profiles/platform1.json').assetCa).toEqual({
      url: 'https://127.0.0.1:7000',
      caName: 'assetca',
      tlsRootCert: '/home/p/registry/tlsca-cert.pem',
      registrar: { cert: '/abs/registrar/cert.pem', key: '/home/p/profiles/registrar/key.pem' },
    });
  });

  it('is optional: the registry profile has none', () => {
    const json = platformProfile(undefined);
    delete json['assetCa'];
    expect(parseProfile(json, '/p.json').assetCa).toBeUndefined();
  });

  it.each([
    ['a non-object', 'ca', 'assetCa must be an object'],
    [
      'a plain-HTTP URL',
      { ...assetCa, url: 'http://127.0.0.1:7000' },
      'assetCa.url must be https://host:port',
    ],
    ['a missing CA name', { ...assetCa, caName: '' }, 'assetCa.caName must be a non-empty string'],
    ['a missing registrar', { ...assetCa, registrar: undefined }, 'assetCa.registrar must be an object'],
    [
      'a registrar without key',
      { ...assetCa, registrar: { cert: '/c.pem' } },
      'assetCa.registrar.key must be',
    ],
  ])('names %s', (_what, value, sentence) => {
    expect(problem(platformProfile(value))).toContain(sentence);
  });
});

describe('openAssetCa', () => {
  it('builds a client from the files a platform profile names', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    writeFileSync(join(dir, 'tls.pem'), 'TLS');
    const profile = parseProfile(
      platformProfile({
        ...assetCa,
        tlsRootCert: 'tls.pem',
        registrar: { cert: 'cert.pem', key: 'key.pem' },
      }),
      join(dir, 'platform1.json'),
    );
    expect((await openAssetCa(profile)).caName).toBe('assetca');
  });

  it('says which file it cannot read', async () => {
    const profile = parseProfile(platformProfile(assetCa), join(dir, 'platform1.json'));
    await expect(openAssetCa(profile)).rejects.toThrow(
      /FILE_UNREADABLE: cannot read asset CA TLS root certificate/,
    );
  });

  it('refuses a profile without assetCa', async () => {
    const json = platformProfile(undefined);
    delete json['assetCa'];
    await expect(openAssetCa(parseProfile(json, '/p.json'))).rejects.toThrow(
      /INVALID_PROFILE: profile platform1 has no assetCa/,
    );
  });
});
