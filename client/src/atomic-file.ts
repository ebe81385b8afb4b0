// Replacing a small file so that a crash at any moment leaves either the old
// contents or the new, never a mix or an empty file: write a temporary file
// beside it, fsync it, rename it over the target, fsync the directory.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';

/**
 * The temporary file a write of `path` goes through: in the same directory
 * (a rename is atomic only within one file system), named after the target,
 * and unique per write so that two writers never share one.
 */
export function temporaryPathFor(path: string): string {
  const unique = `${String(process.pid)}.${randomBytes(4).toString('hex')}`;
  return join(dirname(path), `${basename(path)}.${unique}.tmp`);
}

/**
 * Replaces `path` with `data` atomically and durably. A crash (kill -9, power
 * loss) at any moment leaves `path` whole: the previous contents (or no file,
 * when there was none) or the new ones, never a mix or an empty file. At worst
 * a `<name>.<pid>.<hex>.tmp` file is left beside it, which nothing reads and
 * which can be deleted. Once this resolves the new contents survive a power
 * loss. When it fails, the temporary file is removed and `path` is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryPathFor(path);
  // 'wx': a temporary file is never shared, even by chance. Owner-only, like everything under the network folder.
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes a rename in `directory` durable; Windows cannot open a directory for that. */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') {
    return;
  }
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
