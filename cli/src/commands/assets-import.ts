// `crowdledger assets import`: a platform's existing holder register (a CSV
// kept elsewhere) brought onto the ledger in batches, resumable and
// idempotent, ending with a reconciliation report.
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_IN_FLIGHT,
  type ImportProgress,
  type ImportReport,
  MAX_BATCH_SIZE,
  readRegister,
  type RegisterFile,
  REGISTER_COLUMNS,
} from '@crowdledger/client';
import { type Command, InvalidArgumentError } from 'commander';
import { withClient } from '../connection';
import { CliError, ExitCode } from '../errors';
import { readJsonInput } from '../input/json-input';
import { parseImportedAsset } from '../input/registration';
import { formatJson, formatTable } from '../output';
import { liveLine, type ProgressStream } from '../progress';
import { withExamples } from './shared/help';
import { withWriteOptions, writeConnection, type WriteOptions } from './shared/write-options';

interface ImportOptions extends WriteOptions {
  readonly asset: string;
  readonly checkpoint?: string;
  readonly batchSize: number;
  readonly inFlight: number;
  readonly check?: boolean;
}

function wholeFrom(max: number): (value: string) => number {
  return (value) => {
    const n = /^[1-9][0-9]*$/.test(value) ? Number(value) : Number.NaN;
    if (!(n <= max)) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${String(max)}`);
    }
    return n;
  };
}

/** "12 min 5 s", "40 s". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${String(Math.floor(s / 60))} min ${String(s % 60)} s` : `${String(s)} s`;
}

/** The progress line: holders and batches done, the rate, and the time left at that rate. */
export function progressText(p: ImportProgress): string {
  const left = p.secondsLeft === undefined ? '' : `, ${duration(p.secondsLeft)} left`;
  return (
    `${p.holdersDone.toLocaleString('en')} of ${p.holdersTotal.toLocaleString('en')} holders ` +
    `(batch ${String(p.batchesDone)} of ${String(p.batchesTotal)}), ${String(Math.round(p.holdersPerSecond))}/s${left}`
  );
}

/** The report as a person reads it: figures, then each rejected row. */
export function reportText(report: ImportReport): string {
  const figures = formatTable(
    ['', ''],
    [
      ['asset', report.assetId],
      ['rows read', report.rowsRead],
      ['rows valid', report.validRows],
      ['rows rejected', report.rejected.length],
      ['holders on the ledger', report.holdersOnLedger],
      ['  written by this import', report.holdersWritten],
      ['  of them by this run', report.holdersWrittenThisRun],
      ['  already there (not written twice)', report.holdersAlreadyImported],
      ['units in the register (valid rows)', report.unitsInRegister],
      ['units on the ledger', report.unitsOnLedger],
      ['declared total', report.declaredTotal],
      [
        'batches committed',
        `${String(report.batches.committed)} of ${String(report.batches.total)} (${String(report.batches.thisRun)} by this run)`,
      ],
      ['asset', report.finished ? 'ACTIVE: import finished' : 'IMPORTING: not finished'],
    ],
  );
  const rejected = report.rejected.map((r) => `  ${r.code}: ${r.reason}`);
  const verdict = report.finished
    ? 'The ledger holds the declared total: the asset is ACTIVE.'
    : `The ledger holds ${String(report.unitsOnLedger)} of ${String(report.declaredTotal)} declared units: correct the rejected rows and run the import again (nothing is written twice).`;
  return [figures, ...(rejected.length > 0 ? ['', 'Rejected rows:', ...rejected] : []), '', verdict].join(
    '\n',
  );
}

/** A register read and checked only: what --check prints. */
function checkText(file: RegisterFile): string {
  const rejected = file.rejected.map((r) => `  ${r.code}: ${r.reason}`);
  return [
    `${String(file.rowsRead)} rows read, ${String(file.rows.length)} valid, ${String(file.rejected.length)} rejected; ` +
      `${String(file.rows.reduce((t, r) => t + r.units, 0))} units in the valid rows.`,
    ...rejected,
  ].join('\n');
}

async function runImport(
  registerPath: string,
  options: ImportOptions,
  stream: ProgressStream,
): Promise<void> {
  const input = await readJsonInput(options.asset, 'asset', process.stdin);
  const asset = parseImportedAsset(input.value, input.source);
  const file = await readRegister(registerPath);
  if (options.check === true) {
    console.log(options.json === true ? formatJson(file.rejected) : checkText(file));
    return;
  }
  const progress = liveLine(stream);
  const report = await withClient(writeConnection(options), (c) =>
    c.imports.importRegister({
      asset,
      register: file,
      checkpoint: options.checkpoint ?? `${registerPath}.checkpoint.json`,
      batchSize: options.batchSize,
      inFlight: options.inFlight,
      onProgress: (p) => {
        progress.milestone(progressText(p));
      },
    }),
  ).finally(progress.done);
  console.log(options.json === true ? formatJson(report) : reportText(report));
  if (!report.finished) {
    throw new CliError('the import is not finished: the asset stays IMPORTING', ExitCode.failed);
  }
}

/** `crowdledger assets import <register.csv> --org P --asset asset.json`. */
export function addImportCommand(assets: Command): void {
  const command = withWriteOptions(
    assets
      .command('import')
      .description(
        `bring an existing holder register onto the ledger: a CSV with the header ${REGISTER_COLUMNS.join(',')} ` +
          '(id_type may be left out: resident IDs), written in batches of up to 1,000 holders a transaction; ' +
          'resumable (a checkpoint file after every batch) and idempotent (a rerun writes nothing twice); ' +
          'ends with a reconciliation report, and makes the asset ACTIVE when its holders add up to the declared total',
      )
      .argument('<register>', 'the register CSV file (UTF-8)'),
  )
    .requiredOption(
      '--asset <file>',
      'JSON {"assetRef", "attributes", "rights", "totalUnits"}: the declared total',
    )
    .option(
      '--checkpoint <file>',
      'checkpoint file (default: <register>.checkpoint.json); a rerun resumes from it',
    )
    .option(
      '--batch-size <n>',
      `holders per transaction, 1 to ${String(MAX_BATCH_SIZE)}`,
      wholeFrom(MAX_BATCH_SIZE),
      DEFAULT_BATCH_SIZE,
    )
    .option('--in-flight <n>', 'batches sent at once, 1 to 8', wholeFrom(8), DEFAULT_IN_FLIGHT)
    .option('--check', 'only read and check the register: print the rejected rows, write nothing')
    .action(async (registerPath: string, options: ImportOptions) => {
      await runImport(registerPath, options, process.stderr);
    });
  withExamples(
    command,
    'crowdledger assets import register.csv --org platform1 --asset fund.json',
    'crowdledger assets import register.csv --org platform1 --asset fund.json --check',
    'crowdledger assets import register.csv --org platform1 --asset fund.json --json > report.json',
  );
}
