// The reconciliation report of a register import: what the file held, what
// the ledger holds from it, and every row left out with its reason. Pure, so
// every figure is unit-tested.
import type { BatchRecord, ImportCheckpoint } from './checkpoint';
import type { RegisterFile, RegisterRow, RejectedRow } from './register-csv';

/** The most holders one imports:Add takes. */
export const MAX_BATCH_SIZE = 1000;

/** The file's valid rows in batches of `batchSize`, in file order: the same file always gives the same batches. */
export function planBatches(rows: readonly RegisterRow[], batchSize: number): RegisterRow[][] {
  const batches: RegisterRow[][] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    batches.push(rows.slice(start, start + batchSize));
  }
  return batches;
}

/** What a register import did, all runs of it together. */
export interface ImportReport {
  /** The asset. */
  readonly assetId: string;
  /** Data rows in the file (the header not counted). */
  readonly rowsRead: number;
  /** Rows that passed every check of the file. */
  readonly validRows: number;
  /** Units of those rows. */
  readonly unitsInRegister: number;
  /** The total the asset declares. */
  readonly declaredTotal: number;
  /** Holdings the import's transactions wrote (all runs). */
  readonly holdersWritten: number;
  /** Of them, written by this run. */
  readonly holdersWrittenThisRun: number;
  /** Holders found on the ledger with these units already (a batch sent again after a crash): not written twice. */
  readonly holdersAlreadyImported: number;
  /** Holders the ledger holds from this register: written plus already imported. */
  readonly holdersOnLedger: number;
  /** Their units. */
  readonly unitsOnLedger: number;
  /** True when unitsOnLedger equals the declared total. */
  readonly balanced: boolean;
  /** Every row left out, by the file's checks or the ledger's, in row order. */
  readonly rejected: readonly RejectedRow[];
  /** Batches of the file, committed in all, and committed by this run. */
  readonly batches: { readonly total: number; readonly committed: number; readonly thisRun: number };
  /** True once the asset is ACTIVE: the import is finished. */
  readonly finished: boolean;
}

function sum(
  records: readonly BatchRecord[],
  field: 'written' | 'units' | 'skipped' | 'skippedUnits',
): number {
  return records.reduce((total, record) => total + record[field], 0);
}

/** The report from the file, the checkpoint and the batches this run committed. */
export function reconcile(
  file: RegisterFile,
  checkpoint: ImportCheckpoint,
  run: { readonly declaredTotal: number; readonly batchesTotal: number; readonly thisRun: readonly string[] },
): ImportReport {
  const records = Object.values(checkpoint.batches);
  const thisRun = run.thisRun.map((n) => checkpoint.batches[n]).filter((r) => r !== undefined);
  const holdersWritten = sum(records, 'written');
  const holdersAlreadyImported = sum(records, 'skipped');
  const unitsOnLedger = sum(records, 'units') + sum(records, 'skippedUnits');
  const ledgerRejections = records.flatMap((record) => record.rejected);
  return {
    assetId: checkpoint.assetId,
    rowsRead: file.rowsRead,
    validRows: file.rows.length,
    unitsInRegister: file.rows.reduce((total, row) => total + row.units, 0),
    declaredTotal: run.declaredTotal,
    holdersWritten,
    holdersWrittenThisRun: sum(thisRun, 'written'),
    holdersAlreadyImported,
    holdersOnLedger: holdersWritten + holdersAlreadyImported,
    unitsOnLedger,
    balanced: unitsOnLedger === run.declaredTotal,
    rejected: [...file.rejected, ...ledgerRejections].sort((a, b) => a.row - b.row),
    batches: { total: run.batchesTotal, committed: records.length, thisRun: thisRun.length },
    finished: checkpoint.finished,
  };
}

/** Progress of a long import, for a progress line. */
export interface ImportProgress {
  /** Batches committed, earlier runs' included. */
  readonly batchesDone: number;
  /** Batches in the file. */
  readonly batchesTotal: number;
  /** Holders in committed batches. */
  readonly holdersDone: number;
  /** Valid rows in the file. */
  readonly holdersTotal: number;
  /** Holders a second over this run's batches; 0 before the first. */
  readonly holdersPerSecond: number;
  /** Estimated seconds to go at that rate; undefined before the first batch. */
  readonly secondsLeft: number | undefined;
}

/** Progress after `doneThisRun` holders of this run committed in `elapsedMs`. */
export function progressOf(
  counts: Omit<ImportProgress, 'holdersPerSecond' | 'secondsLeft'>,
  doneThisRun: number,
  elapsedMs: number,
): ImportProgress {
  const rate = doneThisRun > 0 && elapsedMs > 0 ? (doneThisRun * 1000) / elapsedMs : 0;
  const left = counts.holdersTotal - counts.holdersDone;
  return { ...counts, holdersPerSecond: rate, secondsLeft: rate > 0 ? left / rate : undefined };
}
