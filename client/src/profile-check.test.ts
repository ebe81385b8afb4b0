import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from './profile';
import { checkProfileFiles } from './profile-check';

const dir = mkdtempSync(join(tmpdir(), 'crowdledger-profile-check-'));
const file = (name: string): string => join(dir, name);

/** A self-signed P-256 certificate and its key, as openssl makes them. */
function selfSigned(name: string): void {
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.crt`),
    '-subj',
    `/CN=${name}`,
    '-days',
    '2',
  ]);
}

function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    org: 'alpha',
    mspId: 'AlphaMSP',
    channel: 'ledger',
    chaincode: 'register',
    peers: [{ name: 'peer-a', endpoint: '127.0.0.2:9051', tlsRootCert: file('tlsca.crt') }],
    identities: { app: { cert: file('app.crt'), key: file('app.key') } },
    ...overrides,
  };
}

beforeAll(() => {
  selfSigned('tlsca');
  selfSigned('app');
  selfSigned('other');
  writeFileSync(file('secret'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
  writeFileSync(file('not-pem'), 'hello');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('checkProfileFiles', () => {
  it('passes readable roots, and identities whose key is their certificate’s', async () => {
    const checks = await checkProfileFiles(profile({ referenceSecret: file('secret') }));
    expect(checks.map((c) => [c.what, c.ok])).toEqual([
      ['peer peer-a TLS root', true],
      ['identity app', true],
      ['referenceSecret', true],
    ]);
    expect(checks[1]?.detail).toMatch(/^CN=app, valid until /);
  });

  it('names a key that belongs to another certificate', async () => {
    const [, identity] = await checkProfileFiles(
      profile({ identities: { app: { cert: file('app.crt'), key: file('other.key') } } }),
    );
    expect(identity).toEqual({
      what: 'identity app',
      ok: false,
      detail: `${file('other.key')} is not the key of ${file('app.crt')}`,
    });
  });

  it('names a missing file, a file that is no certificate, and an orderer root', async () => {
    const checks = await checkProfileFiles(
      profile({
        peers: [{ name: 'peer-a', endpoint: 'h:1', tlsRootCert: file('missing.crt') }],
        orderers: [{ name: 'orderer-a', endpoint: 'h:2', tlsRootCert: file('not-pem') }],
      }),
    );
    expect(checks.slice(0, 2)).toEqual([
      { what: 'peer peer-a TLS root', ok: false, detail: `cannot read ${file('missing.crt')}` },
      {
        what: 'orderer orderer-a TLS root',
        ok: false,
        detail: `${file('not-pem')} is not a PEM X.509 certificate`,
      },
    ]);
  });

  it('refuses a certificate out of date', async () => {
    const later = new Date(Date.now() + 5 * 24 * 3600 * 1000);
    const [root] = await checkProfileFiles(profile(), later);
    expect(root?.ok).toBe(false);
    expect(root?.detail).toContain('is valid only from');
  });

  it('refuses a reference secret others can read, or one that is not 32 bytes of hex', async () => {
    writeFileSync(file('open-secret'), 'ab'.repeat(32));
    chmodSync(file('open-secret'), 0o644);
    writeFileSync(file('short-secret'), 'abc', { mode: 0o600 });
    const [open] = (await checkProfileFiles(profile({ referenceSecret: file('open-secret') }))).slice(-1);
    const [short] = (await checkProfileFiles(profile({ referenceSecret: file('short-secret') }))).slice(-1);
    expect(open?.detail).toBe(`${file('open-secret')} is readable by others (mode 644): chmod 600 it`);
    expect(short?.detail).toBe(`${file('short-secret')} must hold 64 hex digits (32 random bytes)`);
  });
});
