import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyAndCsr } from './csr';
import { toPkcs12 } from './pkcs12';

const dir = mkdtempSync(join(tmpdir(), 'crowdledger-p12-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function openssl(...args: string[]): string {
  try {
    return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`openssl ${args.join(' ')} failed: ${String((error as { stderr?: unknown }).stderr)}`);
  }
}

// openssl prints pkcs12 -info details on stderr; keep both streams.
function opensslInfo(...args: string[]): string {
  return execFileSync('sh', ['-c', 'openssl "$@" 2>&1', 'openssl', ...args], { cwd: dir, encoding: 'utf8' });
}

let issued: { certificatePem: string; privateKeyPem: string; caChainPem: string };

beforeAll(async () => {
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  openssl(
    'req',
    '-new',
    '-x509',
    '-key',
    'ca.key',
    '-subj',
    '/O=registry/CN=assetca.registry',
    '-days',
    '2',
    '-out',
    'ca.pem',
  );
  const { csrPem, privateKeyPem } = await createKeyAndCsr('holder.A-1.U-1');
  writeFileSync(join(dir, 'holder.csr'), csrPem);
  openssl(
    'x509',
    '-req',
    '-in',
    'holder.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    'holder.pem',
  );
  issued = {
    certificatePem: readFileSync(join(dir, 'holder.pem'), 'utf8'),
    privateKeyPem,
    caChainPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
  };
});

describe('createKeyAndCsr', () => {
  it('makes a self-signed PKCS#10 request for a P-256 key, CN = the enrollment ID', async () => {
    const { csrPem, privateKeyPem } = await createKeyAndCsr('holder.A-7.U-8');
    writeFileSync(join(dir, 'check.csr'), csrPem);
    const text = opensslInfo('req', '-in', 'check.csr', '-noout', '-verify', '-subject', '-text');
    expect(text).toMatch(/verify OK/i);
    expect(text).toContain('subject=CN = holder.A-7.U-8');
    expect(text).toContain('NIST CURVE: P-256');
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(privateKeyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const fromCsr = opensslInfo('req', '-in', 'check.csr', '-noout', '-pubkey');
    expect(createPublicKey(fromCsr).export({ type: 'spki', format: 'pem' })).toBe(
      createPublicKey(key).export({ type: 'spki', format: 'pem' }),
    );
  });
});

describe('toPkcs12', () => {
  it('writes a bundle openssl opens: AES-256 + PBKDF2-SHA256, SHA-256 MAC, cert, chain and key', async () => {
    const p12 = await toPkcs12({
      ...issued,
      passphrase: 'correct horse',
      friendlyName: 'holder.A-1.U-1',
      iterations: 4096,
    });
    writeFileSync(join(dir, 'holder.p12'), p12);

    const info = opensslInfo(
      'pkcs12',
      '-info',
      '-nokeys',
      '-passin',
      'pass:correct horse',
      '-in',
      'holder.p12',
    );
    expect(info).toContain('MAC: sha256, Iteration 4096');
    expect(info).toMatch(
      /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 4096, PRF hmacWithSHA256/,
    );
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 4096, PRF hmacWithSHA256/);
    // Only openssl's own lines name algorithms: base64 PEM can spell "rc2" by chance.
    const algorithmLines = info.split('\n').filter((line) => !/^[A-Za-z0-9+/=]+$/.test(line.trim()));
    expect(algorithmLines.join('\n')).not.toMatch(/3DES|RC2|des-ede3/i);
    expect(info).toContain('friendlyName: holder.A-1.U-1');
    expect(info.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);

    const keyOut = openssl(
      'pkcs12',
      '-nocerts',
      '-nodes',
      '-passin',
      'pass:correct horse',
      '-in',
      'holder.p12',
    );
    const extracted = createPrivateKey(keyOut.slice(keyOut.indexOf('-----BEGIN')));
    const original = createPrivateKey(issued.privateKeyPem);
    expect(extracted.export({ type: 'pkcs8', format: 'pem' })).toBe(
      original.export({ type: 'pkcs8', format: 'pem' }),
    );

    const certOut = openssl(
      'pkcs12',
      '-nokeys',
      '-clcerts',
      '-passin',
      'pass:correct horse',
      '-in',
      'holder.p12',
    );
    expect(certOut).toContain(issued.certificatePem.trim().split('\n')[1]);
  });

  it('opens with nothing but the right passphrase', async () => {
    writeFileSync(
      join(dir, 'other.p12'),
      await toPkcs12({ ...issued, passphrase: 'right', iterations: 2048 }),
    );
    expect(() => openssl('pkcs12', '-info', '-nokeys', '-passin', 'pass:wrong', '-in', 'other.p12')).toThrow(
      /mac verify error/i,
    );
  });

  it('uses 100 000 iterations by default', async () => {
    writeFileSync(join(dir, 'default.p12'), await toPkcs12({ ...issued, passphrase: 'p' }));
    expect(opensslInfo('pkcs12', '-info', '-nokeys', '-passin', 'pass:p', '-in', 'default.p12')).toContain(
      'MAC: sha256, Iteration 100000',
    );
  });

  it('refuses an empty passphrase and a PEM without a certificate', async () => {
    await expect(toPkcs12({ ...issued, passphrase: '' })).rejects.toThrow(/CA_INVALID_REQUEST/);
    await expect(toPkcs12({ ...issued, certificatePem: 'nothing', passphrase: 'p' })).rejects.toThrow(
      /INVALID_CERTIFICATE/,
    );
  });
});
