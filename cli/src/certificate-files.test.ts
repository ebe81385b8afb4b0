import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IssuedCertificate } from '@crowdledger/client';
import { holderFolder, P12_FILE, readHolderFiles, writeHolderFiles } from './certificate-files';

const assetId = `A${'a'.repeat(32)}`;
const holderId = `U${'b'.repeat(32)}`;

function issued(): IssuedCertificate {
  return {
    assetId,
    holderId,
    enrollmentId: 'holder-x',
    certificatePem: 'CERT',
    privateKeyPem: 'KEY',
    caChainPem: 'CHAIN',
    record: {} as IssuedCertificate['record'],
    pkcs12: (passphrase) => Promise.resolve(Buffer.from(`P12:${passphrase}`)),
  };
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('writeHolderFiles', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'crowdledger-certs-'));
  });
  afterEach(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('writes certificate, key and chain into <out>/<asset>/<holder>, the key owner-only', async () => {
    const files = await writeHolderFiles(out, issued());
    expect(files.folder).toBe(join(out, assetId, holderId));
    expect(readFileSync(files.certificate, 'utf8')).toBe('CERT');
    expect(readFileSync(files.privateKey, 'utf8')).toBe('KEY');
    expect(readFileSync(files.caChain, 'utf8')).toBe('CHAIN');
    expect(mode(files.privateKey)).toBe(0o600);
    // Public files follow the umask: at most rw-r--r--.
    expect(mode(files.certificate) & ~0o644).toBe(0);
    expect(mode(files.folder)).toBe(0o700);
    expect(files.pkcs12).toBeUndefined();
  });

  it('writes an owner-only .p12 with the passphrase, and reads the pair back', async () => {
    const files = await writeHolderFiles(out, issued(), 'pass');
    expect(files.pkcs12).toBe(join(files.folder, P12_FILE));
    expect(readFileSync(files.pkcs12 ?? '', 'utf8')).toBe('P12:pass');
    expect(mode(files.pkcs12 ?? '')).toBe(0o600);
    await expect(readHolderFiles(files.folder)).resolves.toEqual({ certificate: 'CERT', privateKey: 'KEY' });
  });

  it('makes an existing key owner-only and drops a .p12 of an earlier certificate', async () => {
    const folder = holderFolder(out, assetId, holderId);
    await writeHolderFiles(out, issued(), 'old');
    writeFileSync(join(folder, 'key.pem'), 'OLD', { mode: 0o644 });
    await writeHolderFiles(out, issued());
    expect(mode(join(folder, 'key.pem'))).toBe(0o600);
    expect(existsSync(join(folder, P12_FILE))).toBe(false);
  });

  it('says nothing was recorded when its files cannot be written, so the holding stays due', async () => {
    writeFileSync(join(out, assetId), 'a file where the folder should go');
    await expect(writeHolderFiles(out, issued())).rejects.toThrow(
      `the certificate of ${assetId}/${holderId} was enrolled at the CA but writing it to ${holderFolder(out, assetId, holderId)} failed`,
    );
  });

  it('says which files are missing from a holder folder', async () => {
    await expect(readHolderFiles(out)).rejects.toThrow(
      `cannot read cert.pem and key.pem in ${out}: no such file`,
    );
  });
});
