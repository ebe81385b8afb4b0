import { verify } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { newKeyPair, readSigner, writeKeyFile } from './key-file';

describe('key files', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crowdledger-key-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function io(): { input: PassThrough; output: PassThrough; text: () => string } {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    return { input: new PassThrough(), output, text: () => Buffer.concat(chunks).toString('utf8') };
  }

  it('writes the private key owner-only, and signs with it what its public key verifies', async () => {
    const path = join(dir, 'zhang.key');
    const { privateKey, publicKey } = newKeyPair();
    await writeKeyFile(path, privateKey);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const streams = io();
    const signer = await readSigner(path, streams);
    const bytes = Buffer.from('{"a":1}');
    const signature = await signer(bytes);
    expect(signature).toHaveLength(64);
    expect(verify('sha256', bytes, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(streams.text()).toBe('');
  });

  it('never overwrites a file, and refuses a file that holds no P-256 key', async () => {
    const path = join(dir, 'taken.key');
    await writeFile(path, 'someone else\n');
    await expect(writeKeyFile(path, newKeyPair().privateKey)).rejects.toThrow(
      `cannot write ${path}: it exists, and a key file is never overwritten`,
    );
    expect(await readFile(path, 'utf8')).toBe('someone else\n');
    await expect(readSigner(path, io())).rejects.toThrow(`${path} holds no transaction key`);
  });

  it('warns when others can read the key file', async () => {
    const path = join(dir, 'open.key');
    await writeFile(path, newKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }));
    // Explicitly: the test scripts run under umask 077, which would mask a mode given to writeFile.
    await chmod(path, 0o644);
    const streams = io();
    await readSigner(path, streams);
    expect(streams.text()).toContain(`warning: ${path} can be read by other users; chmod 600 it`);
  });
});
