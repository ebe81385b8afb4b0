import { setTimeout as sleep } from 'node:timers/promises';
import type { CrowdLedgerClient, IssueDueReport, IssuedCertificate } from '@crowdledger/client';
import type { Command } from 'commander';
import { type HolderFiles, writeHolderFiles } from '../certificate-files';
import { withClient } from '../connection';
import { CliError, isCliError } from '../errors';
import { parseBlock, parseInterval, parseMillis } from '../input/terms';
import { count, formatTable, printResult } from '../output';
import { step } from '../progress';
import {
  defaultCheckpoint,
  type FileOptions,
  issuedJson,
  p12Passphrase,
  withFileOptions,
} from './certificate-options';
import { withExamples } from './shared/help';
import { withWriteOptions, writeConnection } from './shared/write-options';

interface IssueDueOptions extends FileOptions {
  readonly checkpoint?: string;
  readonly startBlock?: bigint;
  readonly idleMs?: number;
  readonly follow?: number;
}

interface Written {
  readonly issued: IssuedCertificate;
  readonly files: HolderFiles;
}

export function addIssueDueCommand(certificates: Command): void {
  const issueDue = withFileOptions(
    withWriteOptions(
      certificates
        .command('issue-due')
        .description(
          "read the event feed from a checkpoint and issue every certificate due to the platform's users " +
            '(new assets, buyers, settled campaigns); safe to run again',
        ),
    ),
  )
    .option(
      '--checkpoint <file>',
      'where to keep the place in the event feed (default: $CROWDLEDGER_HOME/<org>-certificates.checkpoint)',
    )
    .option('--start-block <n>', 'the first block to read when the checkpoint is new (default 0)', parseBlock)
    .option('--idle-ms <ms>', 'how long a quiet feed means caught up (default 2000)', parseMillis)
    .option(
      '--follow <every>',
      'keep running: read the feed again every interval (30s, 5m) until Ctrl-C or SIGTERM, printing what each run did',
      parseInterval,
    )
    .action((options: IssueDueOptions) =>
      options.follow === undefined ? runIssueDue(options) : followDue(options),
    );
  withExamples(
    issueDue,
    'crowdledger certificates issue-due --org platform1 --out ./certificates',
    'crowdledger certificates issue-due --org platform2 --out ./certificates --p12 --passphrase-file p12.txt --json',
    'crowdledger certificates issue-due --org platform1 --out ./certificates --follow 30s',
  );
}

async function runIssueDue(options: IssueDueOptions): Promise<void> {
  const passphrase = await p12Passphrase(options);
  const { report, written } = await withClient(writeConnection(options), (c) =>
    step(`issuing the certificates due to ${c.mspId}'s users`, () => issuePass(c, options, passphrase)),
  );
  printResult(options, { value: reportJson(report, written), human: () => reportText(report, written) });
  failIfStopped(report);
}

/** One read of the feed from the checkpoint: issue, write each holder's files, then move on. */
async function issuePass(
  client: CrowdLedgerClient,
  options: IssueDueOptions,
  passphrase: string | undefined,
): Promise<{ report: IssueDueReport; written: Written[] }> {
  const written: Written[] = [];
  const onDisk = new Map<string, HolderFiles>();
  const report = await client.certificates.issueDue({
    checkpoint: options.checkpoint ?? defaultCheckpoint(options.org),
    personalAttributes: options.personalAttributes !== false,
    ...(options.startBlock === undefined ? {} : { startBlock: options.startBlock }),
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    // Written before the ledger records it, so a crash never leaves a key nobody has;
    // a failed write stops the run there, with the holding still due.
    onEnrolled: async (enrolled) => {
      onDisk.set(enrolled.enrollmentId, await writeHolderFiles(options.out, enrolled, passphrase));
    },
    onIssued: (issued) => {
      const files = onDisk.get(issued.enrollmentId);
      if (files !== undefined) {
        written.push({ issued, files });
      }
    },
  });
  return { report, written };
}

/**
 * `--follow`: a platform's certificate desk. Runs a pass, sleeps, runs again
 * from the checkpoint, until SIGINT or SIGTERM, which let the current pass
 * finish (its certificates are written and checkpointed) and exit 0. A pass
 * that stopped on a failure is reported and retried by the next one.
 */
async function followDue(options: IssueDueOptions): Promise<void> {
  const passphrase = await p12Passphrase(options);
  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    await withClient(writeConnection(options), async (c) => {
      console.error(
        `following ${c.mspId}'s event feed every ${String((options.follow ?? 0) / 1000)} s; Ctrl-C stops`,
      );
      while (!stop.signal.aborted) {
        await issuePass(c, options, passphrase).then(
          ({ report, written }) => {
            printPass(options, report, written);
          },
          (error: unknown) => {
            // A peer or the CA down for a while must not end the desk: the next pass retries.
            console.error(
              `error: ${error instanceof Error ? error.message : String(error)} (retried on the next pass)`,
            );
          },
        );
        await sleep(options.follow ?? 0, undefined, { signal: stop.signal }).catch(() => undefined);
      }
    });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** Quiet passes print nothing; --json prints one line per pass that did something. */
function printPass(options: IssueDueOptions, report: IssueDueReport, written: readonly Written[]): void {
  const busy = written.length + report.revoked.length + report.skipped.length > 0;
  if (report.failed !== undefined) {
    console.error(`error: ${failureSentence(report.failed.error)} (retried on the next pass)`);
  }
  if (!busy) {
    return;
  }
  if (options.json === true) {
    console.log(JSON.stringify({ at: new Date().toISOString(), ...reportJson(report, written) }));
  } else {
    console.log(`\n${new Date().toISOString()}\n${reportText(report, written)}`);
  }
}

export function reportJson(report: IssueDueReport, written: readonly Written[]): object {
  const failed = report.failed;
  return {
    issued: written.map((w) => issuedJson(w.issued, w.files)),
    revoked: report.revoked.map(({ assetId, holderId, serial, newlyRevoked }) => ({
      assetId,
      holderId,
      serial,
      newlyRevoked,
    })),
    skipped: report.skipped.map(({ assetId, holderId, reason }) => ({ assetId, holderId, reason })),
    eventsRead: report.eventsRead,
    ...(failed === undefined
      ? {}
      : {
          failed: {
            assetId: failed.assetId,
            holderId: failed.holderId,
            error: failureSentence(failed.error),
          },
        }),
  };
}

export function reportText(report: IssueDueReport, written: readonly Written[]): string {
  const lines = [
    `${String(written.length)} issued, ${String(report.skipped.length)} skipped, ${count(report.eventsRead, 'event')} read.`,
  ];
  if (written.length > 0) {
    const rows = written.map((w) => [
      w.issued.assetId,
      w.issued.holderId,
      w.issued.record.serial,
      w.files.folder,
    ]);
    lines.push('', formatTable(['asset', 'holder', 'serial', 'folder'], rows));
  }
  if (report.revoked.length > 0) {
    const rows = report.revoked.map((r) => [
      r.assetId,
      r.holderId,
      r.serial,
      r.newlyRevoked ? 'now' : 'already',
    ]);
    lines.push('', formatTable(['asset', 'holder', 'serial', 'revoked at the CA'], rows));
    lines.push(
      'A seller sold out: publish the CRL so the peers refuse these (crowdledger network publish-crl).',
    );
  }
  if (report.skipped.length > 0) {
    const rows = report.skipped.map((s) => [s.assetId, s.holderId, s.reason]);
    lines.push('', formatTable(['asset', 'holder', 'skipped because'], rows));
  }
  return lines.join('\n');
}

/** A holding that failed stops the run at its event; the next run retries it. Exit non-zero. */
function failIfStopped(report: IssueDueReport): void {
  const failed = report.failed;
  if (failed !== undefined) {
    throw new CliError(
      `${failureSentence(failed.error)} (while issuing ${failed.assetId}/${failed.holderId}; the run stopped there and the next one retries it)`,
    );
  }
}

/** The SDK wraps what onIssued threw (a file that could not be written): show the CLI's own sentence. */
function failureSentence(error: Error): string {
  return isCliError(error.cause) ? error.cause.message : error.message;
}
