import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, newCheckpoint, saveCheckpoint } from './checkpoint';

const fresh = newCheckpoint('A1', 'a'.repeat(64), 1000);

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'import-checkpoint-'));
}

describe('the import checkpoint', () => {
  it('starts fresh when there is no file, and reads back what was saved, owner-only', async () => {
    const path = join(await folder(), 'cp.json');
    expect(await loadCheckpoint(path, fresh)).toBe(fresh);
    const saved = {
      ...fresh,
      batches: { '0': { written: 1000, units: 5000, skipped: 0, skippedUnits: 0, rejected: [] } },
    };
    await saveCheckpoint(path, saved);
    expect(await loadCheckpoint(path, fresh)).toEqual(saved);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(join(path, '..'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it("refuses another file's, asset's or batch size's checkpoint rather than regroup the rows", async () => {
    const path = join(await folder(), 'cp.json');
    await saveCheckpoint(path, fresh);
    for (const other of [
      { ...fresh, registerSha256: 'b'.repeat(64) },
      { ...fresh, assetId: 'A2' },
      { ...fresh, batchSize: 500 },
    ]) {
      await expect(loadCheckpoint(path, other)).rejects.toMatchObject({ code: 'IMPORT_MISMATCH' });
    }
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(fresh);
  });

  it('fails FILE_UNREADABLE on a damaged file instead of starting over', async () => {
    const path = join(await folder(), 'cp.json');
    await writeFile(path, '{"version":1,"assetId":');
    await expect(loadCheckpoint(path, fresh)).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    await writeFile(path, '{"version":2}');
    await expect(loadCheckpoint(path, fresh)).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });
});
