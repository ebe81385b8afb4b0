import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCrowdLedgerError } from './errors';
import { loadProfile, parseProfile } from './profile';

function valid(): Record<string, unknown> {
  return {
    org: 'platform1',
    mspId: 'Platform1MSP',
    channel: 'crowdledger',
    chaincode: 'crowdledger',
    peers: [{ name: 'peer0.platform1', endpoint: '127.0.0.1:7140', tlsRootCert: '/abs/tlsca-cert.pem' }],
    identities: {
      admin: { cert: '/abs/admin/cert.pem', key: '/abs/admin/key.pem' },
      app: { cert: 'app/cert.pem', key: 'app/key.pem' },
    },
  };
}

function problem(json: unknown): string {
  try {
    parseProfile(json, '/etc/profiles/p.json');
  } catch (error) {
    if (isCrowdLedgerError(error) && error.code === 'INVALID_PROFILE') {
      return error.sentence;
    }
    throw error;
  }
  throw new Error('profile was accepted');
}

describe('parseProfile', () => {
  it('accepts a hand-written profile with orderers and a description, other names and hosts', () => {
    const profile = parseProfile(
      {
        ...valid(),
        description: 'written by hand from the operator’s material',
        mspId: 'Alpha.MSP-1',
        peers: [
          { name: 'peer-a.alpha', endpoint: 'peer-a.alpha.example.com:9051', tlsRootCert: 'tls/root.pem' },
        ],
        orderers: [{ name: 'orderer-a', endpoint: '127.0.0.2:9050', tlsRootCert: 'tls/orderer-root.pem' }],
      },
      '/etc/profiles/p.json',
    );
    expect(profile.orderers).toEqual([
      { name: 'orderer-a', endpoint: '127.0.0.2:9050', tlsRootCert: '/etc/profiles/tls/orderer-root.pem' },
    ]);
  });

  it.each([
    [
      'a misspelt top-level field',
      { tlsRootcert: 'x' },
      'the profile has unknown field tlsRootcert; it may have',
    ],
    [
      'a misspelt peer field',
      { peers: [{ name: 'p', endpoint: 'h:1', tlsRootCert: '/t', hostname: 'x' }] },
      'peers[0] has unknown field hostname; it may have name, endpoint, tlsRootCert, tlsHostname',
    ],
    [
      'a peer named twice',
      {
        peers: [
          { name: 'p', endpoint: 'h:1', tlsRootCert: '/t' },
          { name: 'p', endpoint: 'h:2', tlsRootCert: '/t' },
        ],
      },
      'peers names p twice',
    ],
    ['an empty orderer list', { orderers: [] }, 'orderers must be a non-empty array'],
    [
      'a port out of range',
      { peers: [{ name: 'p', endpoint: 'h:70000', tlsRootCert: '/t' }] },
      'peers[0].endpoint must be host:port, not h:70000',
    ],
    [
      'an identity with a stray field',
      { identities: { app: { cert: 'c', key: 'k', password: 'x' } } },
      'identities.app has unknown field password; it may have cert, key',
    ],
    [
      'an MSP ID with a space',
      { mspId: 'Alpha MSP' },
      'mspId must hold letters, digits and . _ - only, not Alpha MSP',
    ],
  ])('names %s', (_what, change: Record<string, unknown>, expected) => {
    expect(problem({ ...valid(), ...change })).toContain(expected);
  });

  it('accepts the schema the network scripts write', () => {
    const profile = parseProfile(valid(), '/etc/profiles/p.json');
    expect(profile.mspId).toBe('Platform1MSP');
    expect(profile.peers[0]?.endpoint).toBe('127.0.0.1:7140');
  });

  it('resolves relative file paths against the profile folder', () => {
    const profile = parseProfile(valid(), '/etc/profiles/p.json');
    expect(profile.identities['app']).toEqual({
      cert: '/etc/profiles/app/cert.pem',
      key: '/etc/profiles/app/key.pem',
    });
    expect(profile.identities['admin']?.cert).toBe('/abs/admin/cert.pem');
  });

  it('keeps an optional TLS hostname', () => {
    const json = valid();
    json['peers'] = [
      { name: 'p', endpoint: 'localhost:1', tlsRootCert: '/t.pem', tlsHostname: 'peer0.platform1' },
    ];
    expect(parseProfile(json, '/p.json').peers[0]?.tlsHostname).toBe('peer0.platform1');
  });

  it.each([
    ['a non-object', () => [], 'the profile must be an object'],
    [
      'a missing mspId',
      (j: Record<string, unknown>) => ({ ...j, mspId: undefined }),
      'mspId must be a non-empty string',
    ],
    [
      'an empty channel',
      (j: Record<string, unknown>) => ({ ...j, channel: '' }),
      'channel must be a non-empty string',
    ],
    ['no peers', (j: Record<string, unknown>) => ({ ...j, peers: [] }), 'peers must be a non-empty array'],
    [
      'a peer without port',
      (j: Record<string, unknown>) => ({
        ...j,
        peers: [{ name: 'p', endpoint: '127.0.0.1', tlsRootCert: '/t' }],
      }),
      'peers[0].endpoint must be host:port, not 127.0.0.1',
    ],
    [
      'a peer without TLS root',
      (j: Record<string, unknown>) => ({ ...j, peers: [{ name: 'p', endpoint: 'h:1' }] }),
      'peers[0].tlsRootCert must be a non-empty string',
    ],
    [
      'an identity without key',
      (j: Record<string, unknown>) => ({ ...j, identities: { app: { cert: '/c' } } }),
      'identities.app.key must be a non-empty string',
    ],
    [
      'identities as a list',
      (j: Record<string, unknown>) => ({ ...j, identities: [] }),
      'identities must be an object',
    ],
  ])('names the field for %s', (_case, mutate, sentence) => {
    expect(problem(mutate(valid()))).toBe(`profile /etc/profiles/p.json: ${sentence}`);
  });
});

describe('loadProfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdledger-profile-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a profile file', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(valid()));
    await expect(loadProfile(path)).resolves.toMatchObject({ org: 'platform1' });
  });

  it('fails PROFILE_NOT_FOUND for a missing file', async () => {
    await expect(loadProfile(join(dir, 'none.json'))).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
      message: `PROFILE_NOT_FOUND: cannot read profile ${join(dir, 'none.json')}`,
    });
  });

  it('fails INVALID_PROFILE for text that is not JSON', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"org":');
    await expect(loadProfile(path)).rejects.toMatchObject({ code: 'INVALID_PROFILE' });
  });
});
