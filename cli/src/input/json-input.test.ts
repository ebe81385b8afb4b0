import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readJsonInput } from './json-input';
import type { SecretInput } from './secret';

function stdin(text: string, isTTY = false): SecretInput {
  return Object.assign(Readable.from([Buffer.from(text, 'utf8')]), { isTTY });
}

describe('readJsonInput', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crowdledger-json-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads --from <file>', async () => {
    const file = join(dir, 'user.json');
    writeFileSync(file, '{"name":"张伟"}');
    await expect(readJsonInput(file, 'user', stdin('', true))).resolves.toEqual({
      value: { name: '张伟' },
      source: file,
    });
  });

  it.each([undefined, '-'])('reads a pipe on stdin (--from %s)', async (from) => {
    await expect(readJsonInput(from, 'user', stdin('[1]'))).resolves.toEqual({ value: [1], source: 'stdin' });
  });

  it('asks for --from when stdin is a terminal', async () => {
    await expect(readJsonInput(undefined, 'user', stdin('', true))).rejects.toThrow(
      'give the user as JSON with --from <file>, or pipe it on stdin',
    );
  });

  it('says which file is not JSON', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"name": }');
    await expect(readJsonInput(file, 'user', stdin(''))).rejects.toThrow(`${file} is not valid JSON: `);
  });

  it('says when the file is missing', async () => {
    await expect(readJsonInput(join(dir, 'none.json'), 'user', stdin(''))).rejects.toThrow(
      `cannot read ${join(dir, 'none.json')}: no such file`,
    );
  });
});
