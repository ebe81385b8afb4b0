import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseIdentity, choosePeer, connect } from './connect';
import { parseProfile } from './profile';

const profile = parseProfile(
  {
    org: 'registry',
    mspId: 'RegistryMSP',
    channel: 'crowdledger',
    chaincode: 'crowdledger',
    peers: [
      { name: 'peer0.registry', endpoint: '127.0.0.1:7040', tlsRootCert: '/tls.pem' },
      { name: 'peer1.registry', endpoint: '127.0.0.1:7045', tlsRootCert: '/tls.pem' },
    ],
    identities: { admin: { cert: '/a.pem', key: '/a.key' }, auditor: { cert: '/b.pem', key: '/b.key' } },
  },
  '/p.json',
);

describe('choosePeer', () => {
  it('takes the first peer unless one is named', () => {
    expect(choosePeer(profile, undefined).name).toBe('peer0.registry');
    expect(choosePeer(profile, 'peer1.registry').endpoint).toBe('127.0.0.1:7045');
  });

  it('fails UNKNOWN_PEER naming the peers it has', () => {
    expect(() => choosePeer(profile, 'peer9')).toThrow(
      'UNKNOWN_PEER: profile registry has no peer peer9; it has peer0.registry, peer1.registry',
    );
  });
});

describe('chooseIdentity', () => {
  it('looks a name up in the profile under the profile MSP', () => {
    expect(chooseIdentity(profile, 'auditor')).toEqual({
      cert: '/b.pem',
      key: '/b.key',
      mspId: 'RegistryMSP',
    });
  });

  it('takes holder files as given', () => {
    expect(chooseIdentity(profile, { cert: '/h.pem', key: '/h.key' }).mspId).toBe('RegistryMSP');
    expect(chooseIdentity(profile, { cert: '/h.pem', key: '/h.key', mspId: 'OtherMSP' }).mspId).toBe(
      'OtherMSP',
    );
  });

  it('fails UNKNOWN_IDENTITY naming the identities it has', () => {
    expect(() => chooseIdentity(profile, 'app')).toThrow(
      'UNKNOWN_IDENTITY: profile registry has no identity app; it has admin, auditor',
    );
  });
});

describe('connect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdledger-connect-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const profilePath = join(dir, 'registry.json');
  writeFileSync(join(dir, 'tls.pem'), 'not used before the first call');
  writeFileSync(join(dir, 'cert.pem'), 'certificate');
  writeFileSync(join(dir, 'key.pem'), 'not a key');
  writeFileSync(
    profilePath,
    JSON.stringify({
      org: 'registry',
      mspId: 'RegistryMSP',
      channel: 'crowdledger',
      chaincode: 'crowdledger',
      peers: [{ name: 'peer0.registry', endpoint: '127.0.0.1:7040', tlsRootCert: 'tls.pem' }],
      identities: {
        admin: { cert: 'cert.pem', key: 'key.pem' },
        app: { cert: 'missing.pem', key: 'key.pem' },
      },
    }),
  );

  it('fails FILE_UNREADABLE naming a missing file', async () => {
    await expect(connect({ profilePath, identity: 'app' })).rejects.toThrow(
      `FILE_UNREADABLE: cannot read identity certificate ${join(dir, 'missing.pem')}`,
    );
  });

  it('fails INVALID_IDENTITY for a key that is not a key', async () => {
    await expect(connect({ profilePath, identity: 'admin' })).rejects.toThrow(
      `INVALID_IDENTITY: ${join(dir, 'key.pem')} is not a PEM private key`,
    );
  });
});
