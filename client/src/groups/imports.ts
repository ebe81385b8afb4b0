import {
  assetIdFor,
  canonicalJson,
  type ImportBatchResult,
  type JsonValue,
  Transient,
} from '@crowdledger/protocol';
import { ClientErrorCode, CrowdLedgerError, hasErrorCode } from '../errors';
import type { ContractInvoker } from '../invoker';
import { type Asset, decoders } from '../model';
import {
  type BatchRecord,
  type ImportCheckpoint,
  loadCheckpoint,
  newCheckpoint,
  saveCheckpoint,
} from '../imports/checkpoint';
import {
  type ImportProgress,
  type ImportReport,
  MAX_BATCH_SIZE,
  planBatches,
  progressOf,
  reconcile,
} from '../imports/reconcile';
import { readRegister, type RegisterFile, type RegisterRow } from '../imports/register-csv';
import type { AssetInput } from './assets';
import type { GroupContext } from './context';
import { newSalt } from './users';

/** The asset a register import brings on: an asset's terms and its declared total, no holders. */
export type ImportedAsset = Omit<AssetInput, 'holders'>;

/** What to import, and how. */
export interface RegisterImportOptions {
  /** The asset: reference, attributes, rights, and `totalUnits`, the total the register must add up to. */
  readonly asset: ImportedAsset;
  /** The register: a CSV file's path (see {@link readRegister}), or one already read. */
  readonly register: string | RegisterFile;
  /** The checkpoint file: written after every batch; an import that finds one resumes from it. */
  readonly checkpoint: string;
  /**
   * Holders per transaction, 1 to 1,000 (default 250). Every holder costs
   * the endorsers a read and four writes, one chaincode message each, so a
   * transaction's endorsement grows with its batch: smaller batches stay
   * well inside the endorsement deadline on a busy machine, and more of
   * them in flight keep the throughput.
   */
  readonly batchSize?: number;
  /** Batches in flight at once, 1 to 8 (default 4). */
  readonly inFlight?: number;
  /** Called after every committed batch. */
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** Bringing a platform's existing holder register onto the ledger (the CSRC's "asset mapping"). */
export interface ImportsApi {
  /**
   * Imports a register: begins the asset IMPORTING with its declared total,
   * writes its holders in batches of up to 1,000 a transaction (each holder
   * registered as this platform's user where needed, every personal field in
   * the transient map), then finishes it (ACTIVE) once the holdings add up
   * to the total. Resumable: a checkpoint records each committed batch, and a
   * run that finds one continues after it. Idempotent: the chaincode skips a
   * holder already holding these units, so a batch sent again writes
   * nothing twice. Rows the file or the ledger refuse are left out and listed
   * in the report by row number; the asset then stays IMPORTING until a
   * corrected register is imported again. IMPORT_MISMATCH for a checkpoint of
   * another file or an asset the ledger holds otherwise; REFERENCE_SECRET_MISSING
   * without the platform's reference secret.
   */
  importRegister(options: RegisterImportOptions): Promise<ImportReport>;
}

/** Holders per transaction when the options name none. */
export const DEFAULT_BATCH_SIZE = 250;
/** Batches in flight when the options name none. */
export const DEFAULT_IN_FLIGHT = 4;
/** Tries per batch when the peer times out or is unreachable. */
const BATCH_ATTEMPTS = 3;

/**
 * A batch is idempotent (the chaincode skips holders it finds), so one that
 * timed out or lost its connection is simply sent again: if it had
 * committed, the second try writes nothing. An endorsement that failed with
 * no chaincode code (a busy peer cancelled it: "1 CANCELLED: Call cancelled"
 * ended a 100,000-holder import at load 12) never reached the orderers, so it
 * is sent again too.
 */
async function withBatchRetry<T>(send: () => Promise<T>, attempts = BATCH_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const transient = hasErrorCode(
        error,
        ClientErrorCode.timeout,
        ClientErrorCode.unavailable,
        ClientErrorCode.endorseFailed,
      );
      if (!transient || attempt >= attempts) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

interface Run {
  readonly file: RegisterFile;
  readonly batches: RegisterRow[][];
  readonly options: RegisterImportOptions;
  checkpoint: ImportCheckpoint;
  readonly thisRun: string[];
  readonly startedAt: number;
}

function requireRange(value: number, name: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new CrowdLedgerError(
      ClientErrorCode.invalidOptions,
      `${name} must be a whole number from 1 to ${String(max)}`,
    );
  }
  return value;
}

/** The {@link ImportsApi} over the `imports` and `assets` contracts. */
export class ImportsClient implements ImportsApi {
  readonly #context: GroupContext;
  readonly #imports: ContractInvoker<'imports'>;
  readonly #assets: ContractInvoker<'assets'>;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#imports = context.contract('imports');
    this.#assets = context.contract('assets');
  }

  async importRegister(options: RegisterImportOptions): Promise<ImportReport> {
    const batchSize = requireRange(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize', MAX_BATCH_SIZE);
    const inFlight = requireRange(options.inFlight ?? DEFAULT_IN_FLIGHT, 'inFlight', 8);
    this.#secret();
    const file =
      typeof options.register === 'string' ? await readRegister(options.register) : options.register;
    const assetId = assetIdFor(this.#context.mspId, options.asset.assetRef);
    const fresh = newCheckpoint(assetId, file.sha256, batchSize);
    const run: Run = {
      file,
      batches: planBatches(file.rows, batchSize),
      options,
      checkpoint: await loadCheckpoint(options.checkpoint, fresh),
      thisRun: [],
      startedAt: Date.now(),
    };
    const asset = await this.#beginOrResume(run);
    if (asset.status === 'IMPORTING') {
      await this.#sendBatches(run, inFlight);
      await this.#finishIfBalanced(run);
    }
    return this.#report(run);
  }

  #report(run: Run): ImportReport {
    return reconcile(run.file, run.checkpoint, {
      declaredTotal: run.options.asset.totalUnits,
      batchesTotal: run.batches.length,
      thisRun: run.thisRun,
    });
  }

  #secret(): string {
    const secret = this.#context.referenceSecret;
    if (secret === undefined) {
      throw new CrowdLedgerError(
        ClientErrorCode.referenceSecretMissing,
        "imported holders' user IDs are keyed with the platform's reference secret: give referenceSecret, or a profile that names one",
      );
    }
    return secret;
  }

  /** The asset IMPORTING (begun now or by an earlier run), or ACTIVE when an earlier run finished it. */
  async #beginOrResume(run: Run): Promise<Asset> {
    const existing = await this.#existingAsset(run.checkpoint.assetId);
    if (existing === undefined) {
      const { assetRef, attributes, rights, totalUnits } = run.options.asset;
      const terms = JSON.stringify({ assetRef, attributes, rights, totalUnits });
      return this.#imports.submit('Begin', decoders.asset, { arguments: [terms] });
    }
    requireSameAsset(existing, run.options.asset, this.#context.mspId);
    if (existing.status === 'ACTIVE') {
      await this.#alreadyFinished(run);
    }
    return existing;
  }

  async #existingAsset(assetId: string): Promise<Asset | undefined> {
    try {
      return await this.#assets.evaluate('Get', decoders.asset, [assetId]);
    } catch (error) {
      if (hasErrorCode(error, 'ASSET_NOT_FOUND')) {
        return undefined;
      }
      throw error;
    }
  }

  /** An ACTIVE asset is this import finished, if every batch is in the checkpoint (Finish may have beaten its save). */
  async #alreadyFinished(run: Run): Promise<void> {
    if (Object.keys(run.checkpoint.batches).length !== run.batches.length) {
      throw new CrowdLedgerError(
        ClientErrorCode.importMismatch,
        `asset ${run.checkpoint.assetId} is ACTIVE, but the checkpoint ${run.options.checkpoint} lacks batches of this register: it was registered whole or imported from another file; nothing written`,
      );
    }
    if (!run.checkpoint.finished) {
      run.checkpoint = { ...run.checkpoint, finished: true };
      await saveCheckpoint(run.options.checkpoint, run.checkpoint);
    }
  }

  /** Sends every batch the checkpoint lacks, `inFlight` at a time, saving the checkpoint after each. */
  async #sendBatches(run: Run, inFlight: number): Promise<void> {
    const pending = run.batches
      .map((_, n) => n)
      .filter((n) => run.checkpoint.batches[String(n)] === undefined);
    let saving: Promise<void> = Promise.resolve();
    let failed = false;
    let reported = 0;
    const worker = async (): Promise<void> => {
      for (let n = pending.shift(); n !== undefined && !failed; n = pending.shift()) {
        const record = await this.#sendBatch(run, run.batches[n] ?? []).catch((error: unknown) => {
          failed = true;
          throw error;
        });
        run.checkpoint = { ...run.checkpoint, batches: { ...run.checkpoint.batches, [String(n)]: record } };
        run.thisRun.push(String(n));
        const snapshot = run.checkpoint;
        saving = saving.then(() => saveCheckpoint(run.options.checkpoint, snapshot));
        await saving;
        // Workers finishing together would report the same state twice.
        const progress = this.#progress(run);
        if (progress.batchesDone > reported) {
          reported = progress.batchesDone;
          run.options.onProgress?.(progress);
        }
      }
    };
    const results = await Promise.allSettled(Array.from({ length: inFlight }, worker));
    await saving;
    const rejection = results.find((r) => r.status === 'rejected');
    if (rejection !== undefined) {
      throw rejection.reason;
    }
  }

  #progress(run: Run): ImportProgress {
    const done = Object.keys(run.checkpoint.batches).map((n) => run.batches[Number(n)]?.length ?? 0);
    const doneThisRun = run.thisRun.reduce((total, n) => total + (run.batches[Number(n)]?.length ?? 0), 0);
    return progressOf(
      {
        batchesDone: done.length,
        batchesTotal: run.batches.length,
        holdersDone: done.reduce((total, size) => total + size, 0),
        holdersTotal: run.file.rows.length,
      },
      doneThisRun,
      Date.now() - run.startedAt,
    );
  }

  async #sendBatch(run: Run, rows: readonly RegisterRow[]): Promise<BatchRecord> {
    const holders = rows.map((row) => ({
      platformRef: row.platformRef,
      name: row.name,
      idType: row.idType,
      idNumber: row.idNumber,
      units: row.units,
      salt: newSalt(),
    }));
    const result = await withBatchRetry(() =>
      this.#imports.submit('Add', decoders.importBatchResult, {
        arguments: [run.checkpoint.assetId],
        transientData: {
          [Transient.holders]: JSON.stringify(holders),
          [Transient.referenceSecret]: this.#secret(),
        },
      }),
    );
    return batchRecord(result, rows);
  }

  /** imports:Finish once the ledger holds the declared total from this register; otherwise the asset stays IMPORTING. */
  async #finishIfBalanced(run: Run): Promise<void> {
    const report = this.#report(run);
    if (!report.balanced || report.batches.committed !== report.batches.total) {
      return;
    }
    try {
      await this.#imports.submit('Finish', decoders.asset, { arguments: [run.checkpoint.assetId] });
    } catch (error) {
      // An earlier run's Finish committed and its checkpoint save was lost.
      if (!hasErrorCode(error, 'ASSET_NOT_IMPORTING')) {
        throw error;
      }
    }
    run.checkpoint = { ...run.checkpoint, finished: true };
    await saveCheckpoint(run.options.checkpoint, run.checkpoint);
  }
}

/** The ledger's asset must be this platform's, with these terms and this total. */
function requireSameAsset(asset: Asset, expected: ImportedAsset, mspId: string): void {
  const termsOf = (a: Pick<Asset, 'attributes' | 'rights' | 'totalUnits'>): string =>
    canonicalJson({
      attributes: a.attributes as unknown as JsonValue,
      rights: a.rights as unknown as JsonValue,
      totalUnits: a.totalUnits,
    });
  if (asset.platform !== mspId || termsOf(asset) !== termsOf(expected)) {
    throw new CrowdLedgerError(
      ClientErrorCode.importMismatch,
      `the ledger holds asset ${asset.assetId} (${asset.status}) with other terms or total, or for another platform (${asset.platform}): nothing written`,
    );
  }
}

/** What one batch did, checked against what was sent: every holder accounted for exactly once. */
export function batchRecord(result: ImportBatchResult, rows: readonly RegisterRow[]): BatchRecord {
  const places = [...result.skipped, ...result.rejected.map((r) => r.index)];
  const distinct = new Set(places);
  if (
    result.written + places.length !== rows.length ||
    distinct.size !== places.length ||
    places.some((i) => i < 0 || i >= rows.length)
  ) {
    throw new CrowdLedgerError(
      ClientErrorCode.badResponse,
      `imports:Add accounted for ${String(result.written + places.length)} holders of the ${String(rows.length)} sent`,
    );
  }
  const unitsAt = (i: number): number => rows[i]?.units ?? 0;
  return {
    written: result.written,
    units: result.units,
    skipped: result.skipped.length,
    skippedUnits: result.skipped.reduce((total, i) => total + unitsAt(i), 0),
    rejected: result.rejected.map((r) => {
      const row = rows[r.index]?.row ?? 0;
      return { row, code: r.code, reason: `row ${String(row)}: ${r.reason}` };
    }),
  };
}
