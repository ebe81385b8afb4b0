// The register import as `crowdledger assets import` runs it: a register CSV
// and its asset JSON on disk (bench/register-csv.mjs, the generator
// bench/import-100k.sh uses), the asset read with the CLI's own parser, the
// file read and checked by the SDK's readRegister, then
// imports.importRegister with the CLI's defaults (batches of 250, 4 in
// flight, a checkpoint after each), through a client connected as the CLI
// connects: the SDK's own retry, not the bench's.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deadlinesFromEnv } from '@crowdledger/cli/dist/deadlines.js';
import { parseImportedAsset } from '@crowdledger/cli/dist/input/registration.js';
import {
  CrowdLedger,
  DEADLINES_MS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_IN_FLIGHT,
  MAX_BATCH_SIZE,
  type CrowdLedgerClient,
  type ImportProgress,
  type ImportReport,
  readRegister,
  type SubmitOutcome,
} from '@crowdledger/client';
import { failureCode } from '../drive';
import { countBy } from '../stats';
import type { World } from '../world';
import type { MeasuredRow, MeasuredWorkload } from './workload';

/** bench/register-csv.mjs, from bench/dist/workloads. */
const GENERATOR = join(__dirname, '..', '..', 'register-csv.mjs');

/** The transaction each batch is: its submits are the row's latencies and attempts. */
const ADD = 'imports:Add';

/** How big the import is and how it is sent: the config's rows, the CLI's batch size and in-flight unless overridden. */
export interface ImportShape {
  readonly rows: number;
  readonly batchSize: number;
  readonly inFlight: number;
}

function wholeFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const text = env[name] ?? '';
  if (text === '') {
    return fallback;
  }
  const n = /^[1-9][0-9]*$/.test(text) ? Number(text) : Number.NaN;
  if (!(n <= max)) {
    throw new Error(`${name} must be a whole number from 1 to ${String(max)}, not ${text}`);
  }
  return n;
}

/**
 * IMPORT_BATCH and IMPORT_IN_FLIGHT override the CLI's batch size and
 * batches in flight, as they do for bench/import-100k.sh (`--batch-size`,
 * `--in-flight`): the defaults are what a platform gets, the overrides what
 * it could choose on a host where a batch of 250 does not endorse in time.
 */
export function importShape(rows: number, env: NodeJS.ProcessEnv = process.env): ImportShape {
  return {
    rows,
    batchSize: wholeFrom(env, 'IMPORT_BATCH', DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE),
    inFlight: wholeFrom(env, 'IMPORT_IN_FLIGHT', DEFAULT_IN_FLIGHT, 8),
  };
}

/** Writes register.csv (`rows` holders) and asset.json into `dir`, as bench/import-100k.sh does. */
async function writeRegister(rows: number, assetRef: string, dir: string): Promise<void> {
  await promisify(execFile)(process.execPath, [GENERATOR, String(rows), assetRef, dir]);
}

/**
 * Failures by code: every row refused, and an import left IMPORTING. A batch
 * that timed out and was sent again (the import does, and a batch sent twice
 * writes nothing twice) is not a failure: it shows in attempts per success
 * and `batchesResent`.
 */
function failuresOf(report: ImportReport): Record<string, number> {
  return countBy([...report.rejected.map((r) => r.code), ...(report.finished ? [] : ['IMPORT_UNFINISHED'])]);
}

/** The row: rows a second over the whole import, each committed batch's submit a latency. */
export function importResult(
  report: ImportReport,
  adds: readonly SubmitOutcome[],
  seconds: number,
  shape: ImportShape,
): MeasuredRow {
  const committed = adds.filter((a) => a.ok);
  const attempts = adds.reduce((sum, a) => sum + a.attempts, 0);
  return {
    inFlight: shape.inFlight,
    tps: report.rowsRead / seconds,
    latenciesMs: committed.map((a) => a.durationMs),
    failures: failuresOf(report),
    attemptsPerSuccess: committed.length === 0 ? null : attempts / committed.length,
    seconds,
    extra: {
      rows: report.rowsRead,
      rowsPerSecond: Math.round(report.rowsRead / seconds),
      batchSize: shape.batchSize,
      batches: report.batches.total,
      batchesPerSecond: Math.round((report.batches.thisRun / seconds) * 10) / 10,
      batchesResent: adds.length - committed.length,
      holdersWritten: report.holdersWrittenThisRun,
      unitsOnLedger: report.unitsOnLedger,
      declaredTotal: report.declaredTotal,
      asset: report.finished ? 'ACTIVE' : 'IMPORTING',
    },
  };
}

/** An import that gave up (a batch failed three times, the asset refused): one failure under its code. */
function failedImport(error: unknown, shape: ImportShape, seconds: number): MeasuredRow {
  return {
    inFlight: shape.inFlight,
    tps: 0,
    latenciesMs: [],
    failures: { [failureCode(error)]: 1 },
    attemptsPerSuccess: null,
    seconds,
    extra: {
      rows: shape.rows,
      batchSize: shape.batchSize,
      asset: 'FAILED',
      error: error instanceof Error ? error.message.slice(0, 400) : String(error),
    },
  };
}

/** One progress line every 10 batches, as the CLI's live line would show them. */
function progressLine(p: ImportProgress): void {
  if (p.batchesDone % 10 === 0 || p.batchesDone === p.batchesTotal) {
    console.error(
      `  ${String(p.holdersDone)} of ${String(p.holdersTotal)} holders, ${String(Math.round(p.holdersPerSecond))}/s`,
    );
  }
}

/** What `assets import register.csv --asset asset.json` does once it has connected, timed from reading the file. */
async function importFrom(
  client: CrowdLedgerClient,
  adds: readonly SubmitOutcome[],
  dir: string,
  shape: ImportShape,
): Promise<MeasuredRow> {
  const asset = parseImportedAsset(JSON.parse(await readFile(join(dir, 'asset.json'), 'utf8')), 'asset.json');
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  try {
    const report = await client.imports.importRegister({
      asset,
      register: await readRegister(join(dir, 'register.csv')),
      checkpoint: join(dir, 'register.csv.checkpoint.json'),
      batchSize: shape.batchSize,
      inFlight: shape.inFlight,
      onProgress: progressLine,
    });
    return importResult(report, adds, seconds(), shape);
  } catch (error) {
    return failedImport(error, shape, seconds());
  }
}

/** `assets import` of a generated register of `importRows` holders into a new asset. */
export const registerImport: MeasuredWorkload = {
  kind: 'measured',
  name: 'register-import',
  what: `\`assets import\` (imports.importRegister): a generated register CSV of N rows read and checked, then imports:Add batches of ${String(DEFAULT_BATCH_SIZE)} holders, ${String(DEFAULT_IN_FLIGHT)} in flight, a checkpoint after each, reconciled and finished; tx/s is rows a second, latencies are the batches'`,
  baselineInFlight: DEFAULT_IN_FLIGHT,
  async measure(world: World) {
    const shape = importShape(world.config.importRows);
    const dir = await mkdtemp(join(tmpdir(), 'crowdledger-bench-import-'));
    const adds: SubmitOutcome[] = [];
    // As the CLI connects: the profile's app identity, the SDK's default
    // retry, the deadlines of CROWDLEDGER_*_DEADLINE_MS (a shared, busy host
    // may need a longer endorse deadline than 15 s for batches of 250).
    const deadlinesMs = deadlinesFromEnv();
    const client = await CrowdLedger.connect({
      profile: world.profilePath('platform1'),
      identity: 'app',
      deadlinesMs,
      onSubmit: (outcome) => {
        if (outcome.transaction === ADD) {
          adds.push(outcome);
        }
      },
    });
    try {
      await writeRegister(shape.rows, world.reference('import'), dir);
      const row = await importFrom(client, adds, dir, shape);
      const endorseDeadlineMs = deadlinesMs.endorse ?? DEADLINES_MS.endorse;
      return { ...row, extra: { ...row.extra, endorseDeadlineMs } };
    } finally {
      client.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
