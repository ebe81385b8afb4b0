// The import's checkpoint: which batches committed and what each did. It is
// replaced atomically after every batch, so a crash at any moment leaves the
// last committed state or the one before, never a torn file; a batch the
// ledger committed after the last checkpoint write is sent again, and the
// chaincode skips every holder in it.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomic-file';
import { ClientErrorCode, CrowdLedgerError } from '../errors';
import type { RejectedRow } from './register-csv';

/** What one committed batch did. */
export interface BatchRecord {
  /** Holdings it wrote. */
  readonly written: number;
  /** Their units. */
  readonly units: number;
  /** Holders already on the ledger with these units (an earlier run wrote them). */
  readonly skipped: number;
  /** Units of the skipped holders. */
  readonly skippedUnits: number;
  /** Rows the ledger refused. */
  readonly rejected: readonly RejectedRow[];
}

/** The checkpoint file's contents. */
export interface ImportCheckpoint {
  /** Format version. */
  readonly version: 1;
  /** The asset being imported. */
  readonly assetId: string;
  /** SHA-256 of the register file: batches are its valid rows in order, so another file can't resume. */
  readonly registerSha256: string;
  /** Holders per batch, fixed for the file. */
  readonly batchSize: number;
  /** Committed batches by number (0-based). */
  readonly batches: Readonly<Record<string, BatchRecord>>;
  /** True once imports:Finish made the asset ACTIVE. */
  readonly finished: boolean;
}

/** A fresh checkpoint for this file, asset and batch size. */
export function newCheckpoint(assetId: string, registerSha256: string, batchSize: number): ImportCheckpoint {
  return { version: 1, assetId, registerSha256, batchSize, batches: {}, finished: false };
}

function isCheckpoint(value: unknown): value is ImportCheckpoint {
  const v = value as Partial<ImportCheckpoint> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.version === 1 &&
    typeof v.assetId === 'string' &&
    typeof v.registerSha256 === 'string' &&
    typeof v.batchSize === 'number' &&
    typeof v.batches === 'object' &&
    typeof v.finished === 'boolean'
  );
}

/**
 * The checkpoint at `path`, or a fresh one when there is no file. One that
 * belongs to another register file, asset or batch size is refused
 * (IMPORT_MISMATCH): resuming it would group the rows into other batches.
 */
export async function loadCheckpoint(path: string, expected: ImportCheckpoint): Promise<ImportCheckpoint> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return expected;
    }
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `cannot read the checkpoint ${path}`, {
      cause: error,
    });
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `the checkpoint ${path} is not JSON`, {
      cause,
    });
  }
  if (!isCheckpoint(stored)) {
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `${path} is not an import checkpoint`);
  }
  const same =
    stored.assetId === expected.assetId &&
    stored.registerSha256 === expected.registerSha256 &&
    stored.batchSize === expected.batchSize;
  if (!same) {
    throw new CrowdLedgerError(
      ClientErrorCode.importMismatch,
      `the checkpoint ${path} belongs to another register file, asset or batch size (asset ${stored.assetId}); move it away to start afresh`,
    );
  }
  return stored;
}

/** Replaces the checkpoint atomically (temporary file, fsync, rename). */
export async function saveCheckpoint(path: string, checkpoint: ImportCheckpoint): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(checkpoint, null, 2)}\n`);
}
