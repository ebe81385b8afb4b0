import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CertificateRecord,
  type CertificateView,
  type CrowdLedgerClient,
  DEFAULT_ISSUE_BATCH_SIZE,
  DEFAULT_ISSUE_CONCURRENCY,
  type IssueDueProgress,
  type IssueDueReport,
  MAX_CERTIFICATE_BATCH,
  MAX_ISSUE_CONCURRENCY,
  type IssuedCertificate,
  normaliseSerial,
  type RevocationReason,
  type RevokeResult,
} from '@crowdledger/client';
import { type Command, Option } from 'commander';
import { type HolderFiles, readHolderFiles, writeHolderFiles } from '../certificate-files';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { CliError, isCliError } from '../errors';
import { processIo, readSecret } from '../input/secret';
import { parseBlock, parseInterval, parseMillis, parseWholeIn } from '../input/terms';
import { type Cell, count, formatJson, formatTable, printResult, sentenceAndFacts } from '../output';
import { crowdledgerHome } from '../paths';
import { type LiveLine, liveLine, step } from '../progress';
import { withExamples } from './shared/help';
import { withWriteOptions, writeConnection, type WriteOptions } from './shared/write-options';

/** Options of the commands that write certificate files. */
interface FileOptions extends WriteOptions {
  readonly out: string;
  readonly p12?: boolean;
  readonly passphraseFile?: string;
  readonly personalAttributes?: boolean;
}

interface IssueOptions extends FileOptions {
  readonly reissue?: boolean;
}

interface IssueDueOptions extends FileOptions {
  readonly checkpoint?: string;
  readonly startBlock?: bigint;
  readonly idleMs?: number;
  readonly follow?: number;
  readonly concurrency?: number;
  readonly batchSize?: number;
}

/** What one pass of issue-due did, as the CLI reports it: the SDK's report, the files, the time taken. */
interface Pass {
  readonly report: IssueDueReport;
  /** The first {@link LISTED} certificates issued, with their files; the rest are counted only. */
  readonly written: Written[];
  readonly seconds: number;
}

/** The most issued certificates, skipped holdings and revocations a report lists; the rest are counted. */
export const LISTED = 1_000;

interface Written {
  readonly issued: IssuedCertificate;
  readonly files: HolderFiles;
}

export function recordFacts(r: CertificateRecord): Cell[][] {
  const facts: Cell[][] = [
    ['asset', r.assetId],
    ['holder', r.holderId],
    ['enrollment ID', r.enrollmentId],
    ['serial', r.serial],
    ['status', r.status],
    ['issuer', r.issuer],
    ['fingerprint', r.fingerprint],
    ['valid', `${r.notBefore} to ${r.notAfter}`],
    ['recorded', r.recordedAt],
  ];
  if (r.revokedAt !== undefined) {
    facts.push(['revoked', `${r.revokedAt}: ${r.revocationReason ?? ''}`]);
  }
  return facts;
}

/** `crowdledger certificates issue|issue-due|revoke|show|query`: holders' asset certificates. */
export function registerCertificatesCommands(program: Command): void {
  const certificates = program
    .command('certificates')
    .description("issue holders' asset certificates through Fabric CA, revoke and read their ledger records");
  withExamples(
    certificates,
    'crowdledger certificates issue-due --org platform1 --out ./certificates',
    'crowdledger certificates show A0123… U0456…',
  );
  addIssueCommand(certificates);
  addIssueDueCommand(certificates);
  addRevokeCommand(certificates);
  addShowCommand(certificates);
  addQueryCommand(certificates);
}

/** --out, --p12, --passphrase-file and --no-personal-attributes. */
export function withFileOptions(command: Command): Command {
  return command
    .requiredOption(
      '--out <folder>',
      'where to write <assetId>/<holderId>/cert.pem, key.pem (mode 600), ca-chain.pem',
    )
    .option('--p12', 'also write holder.p12 (mode 600), protected by a passphrase read like a key')
    .option(
      '--passphrase-file <file>',
      'read the .p12 passphrase from this file (- for stdin); else a prompt or stdin',
    )
    .option(
      '--no-personal-attributes',
      "leave the holder's name and masked ID number out of the certificate (asset and holder ID only)",
    );
}

/** The .p12 passphrase, read before anything is issued so a typo loses no certificate. */
export async function p12Passphrase(options: FileOptions): Promise<string | undefined> {
  if (options.p12 !== true) {
    return undefined;
  }
  const what = 'passphrase for the .p12 file';
  return readSecret({ what, file: options.passphraseFile, confirm: true }, processIo());
}

/** What JSON output says of an issued certificate: never the key, which is in its file. */
export function issuedJson(issued: IssuedCertificate, files: HolderFiles): object {
  const { assetId, holderId, enrollmentId, record, replaced } = issued;
  return {
    assetId,
    holderId,
    enrollmentId,
    record,
    files,
    ...(replaced === undefined ? {} : { replaced: revokedJson(replaced) }),
  };
}

/** The default place issue-due keeps its position in the event feed, per org. */
export function defaultCheckpoint(org: string): string {
  return join(crowdledgerHome(), `${org}-certificates.checkpoint`);
}

function addIssueCommand(certificates: Command): void {
  const issue = withFileOptions(
    withWriteOptions(
      certificates
        .command('issue')
        .description("issue one of the platform's users a certificate for an asset they hold, and record it")
        .argument('<assetId>', 'the asset, A + 32 hex digits')
        .argument('<userId>', "the holder, one of the platform's users"),
    ),
  )
    .option(
      '--reissue',
      'replace the certificate on record (a lost key): it is revoked first, at the asset CA and on the ledger',
    )
    .action(issueOne);
  withExamples(
    issue,
    'crowdledger certificates issue A0123… U0456… --org platform2 --out ./certificates',
    'crowdledger certificates issue A0123… U0456… --org platform2 --out ./certificates --p12 --passphrase-file p12.txt',
    'crowdledger certificates issue A0123… U0456… --org platform2 --out ./certificates --reissue',
  );
}

async function issueOne(assetId: string, userId: string, options: IssueOptions): Promise<void> {
  const passphrase = await p12Passphrase(options);
  const handed: { files?: HolderFiles } = {};
  const what = options.reissue === true ? 'revoking the certificate on record, then issuing' : 'issuing';
  const issued = await withClient(writeConnection(options), (c) =>
    step(`${what} the certificate of ${userId} for ${assetId} (Fabric CA, then the ledger)`, () =>
      c.certificates.issue(assetId, userId, {
        reissue: options.reissue === true,
        personalAttributes: options.personalAttributes !== false,
        // On disk before the ledger records it: a crash in between never leaves a key nobody has.
        onEnrolled: async (enrolled) => {
          handed.files = await writeHolderFiles(options.out, enrolled, passphrase);
        },
      }),
    ),
  );
  const files = handed.files;
  if (files === undefined) {
    throw new CliError('the SDK issued a certificate without handing it over first');
  }
  printResult(options, { value: issuedJson(issued, files), human: () => issuedText(issued, files) });
}

export function issuedText(issued: IssuedCertificate, files: HolderFiles): string {
  const rows: Cell[][] = [
    ['certificate', files.certificate],
    ['private key', `${files.privateKey} (mode 600)`],
    ['CA chain', files.caChain],
  ];
  if (files.pkcs12 !== undefined) {
    rows.push(['PKCS#12', `${files.pkcs12} (mode 600)`]);
  }
  return [
    ...(issued.replaced === undefined ? [] : [replacedText(issued.replaced), '']),
    `Issued ${issued.holderId} the certificate of ${issued.assetId}: serial ${issued.record.serial}, recorded on the ledger.`,
    'Hand the files to the holder and keep no copy of the key:',
    '',
    formatTable(['file', 'path'], rows),
  ].join('\n');
}

/** What a reissue revoked before issuing, and who refuses it now. */
export function replacedText({ record, atCa }: RevokeResult): string {
  const siblings = atCa.revokedSerials.filter((serial) => serial !== normaliseSerial(record.serial));
  return [
    `Replaced serial ${record.serial}: revoked ${atCa.newlyRevoked ? 'at the asset CA' : '(the CA had already)'} ` +
      `and on the ledger (${record.revocationReason ?? 'revoked'}); the ledger refuses it from now on.`,
    ...(siblings.length === 0 ? [] : [`Also revoked at the CA, same holding: ${siblings.join(', ')}.`]),
    "Every node refuses it from the revoking block on; the asset CA's regenerated CRL tells verifiers outside the network.",
  ].join('\n');
}

/** --concurrency and --batch-size: how many holdings at once at the CA, and per ledger transaction. */
function withPaceOptions(command: Command): Command {
  return command
    .option(
      '--concurrency <n>',
      `holdings checked and enrolled at the asset CA at once, 1 to ${String(MAX_ISSUE_CONCURRENCY)} (default ${String(DEFAULT_ISSUE_CONCURRENCY)})`,
      parseWholeIn(1, MAX_ISSUE_CONCURRENCY, 'a number of holdings'),
    )
    .option(
      '--batch-size <n>',
      `certificates recorded per ledger transaction, 1 to ${String(MAX_CERTIFICATE_BATCH)} (default ${String(DEFAULT_ISSUE_BATCH_SIZE)})`,
      parseWholeIn(1, MAX_CERTIFICATE_BATCH, 'a batch size'),
    );
}

export function addIssueDueCommand(certificates: Command): void {
  const issueDue = withPaceOptions(
    withFileOptions(
      withWriteOptions(
        certificates
          .command('issue-due')
          .description(
            "read the event feed from a checkpoint and issue every certificate due to the platform's users " +
              '(new assets, buyers, settled campaigns); safe to run again',
          ),
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
    'crowdledger certificates issue-due --org platform1 --out ./certificates --concurrency 32 --batch-size 100',
  );
}

async function runIssueDue(options: IssueDueOptions): Promise<void> {
  const passphrase = await p12Passphrase(options);
  const progress = liveLine();
  const pass = await withClient(writeConnection(options), (c) =>
    step(`issuing the certificates due to ${c.mspId}'s users`, () =>
      issuePass(c, options, passphrase, issueProgress(progress)),
    ),
  ).finally(progress.done);
  printResult(options, { value: reportJson(pass), human: () => reportText(pass) });
  failIfIncomplete(pass.report);
}

/** One read of the feed from the checkpoint: issue, write each holder's files, then move on. */
async function issuePass(
  client: CrowdLedgerClient,
  options: IssueDueOptions,
  passphrase: string | undefined,
  onProgress?: (progress: IssueDueProgress) => void,
): Promise<Pass> {
  const started = Date.now();
  const written: Written[] = [];
  // Files of certificates enrolled and not yet recorded: at most the run's window.
  const onDisk = new Map<string, HolderFiles>();
  const report = await client.certificates.issueDue({
    checkpoint: options.checkpoint ?? defaultCheckpoint(options.org),
    personalAttributes: options.personalAttributes !== false,
    listLimit: LISTED,
    ...(options.startBlock === undefined ? {} : { startBlock: options.startBlock }),
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(onProgress === undefined ? {} : { onProgress }),
    // Written before the ledger records it, so a crash never leaves a key nobody has;
    // a failed write leaves the holding unrecorded and pending for the next run.
    onEnrolled: async (enrolled) => {
      onDisk.set(enrolled.enrollmentId, await writeHolderFiles(options.out, enrolled, passphrase));
    },
    onIssued: (issued) => {
      const files = onDisk.get(issued.enrollmentId);
      onDisk.delete(issued.enrollmentId);
      if (files !== undefined && written.length < LISTED) {
        written.push({ issued, files });
      }
    },
  });
  return { report, written, seconds: (Date.now() - started) / 1000 };
}

/**
 * The progress of a long issue-due on stderr: certificates issued, the rate,
 * the block reached and the time left at the rate blocks are read so far.
 * A terminal sees it rewritten in place; a log gets a line every 10 seconds.
 */
export function issueProgress(
  line: LiveLine,
  now: () => number = Date.now,
): (progress: IssueDueProgress) => void {
  const started = now();
  let firstBlock: bigint | undefined;
  let logged = started;
  return (p) => {
    firstBlock ??= p.blockNumber;
    const text = progressText(p, (now() - started) / 1000, firstBlock);
    line.show(text);
    if (now() - logged >= PROGRESS_LOG_MS) {
      logged = now();
      line.milestone(text);
    }
  };
}

const PROGRESS_LOG_MS = 10_000;

export function progressText(p: IssueDueProgress, seconds: number, firstBlock: bigint | undefined): string {
  const rate = seconds > 0 ? p.issued / seconds : 0;
  const counts =
    `${String(p.issued)} issued (${rate.toFixed(1)}/s), ${String(p.skipped)} skipped, ` +
    `${String(p.failed)} failed, ${String(p.inFlight)} in flight`;
  const { blockNumber, lastBlock } = p;
  if (blockNumber === undefined || lastBlock === undefined || firstBlock === undefined) {
    return counts;
  }
  const done = Number(blockNumber - firstBlock);
  const left = Number(lastBlock - blockNumber);
  const eta = done > 0 && seconds > 0 ? `, ~${formatSeconds((seconds * left) / done)} left` : '';
  return `${counts}; block ${String(blockNumber)} of ${String(lastBlock)}${eta}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) {
    return `${String(Math.round(seconds))} s`;
  }
  return seconds < 5_400 ? `${String(Math.round(seconds / 60))} min` : `${(seconds / 3_600).toFixed(1)} h`;
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
          (pass) => {
            printPass(options, pass);
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
function printPass(options: IssueDueOptions, pass: Pass): void {
  const { report } = pass;
  const { issued, revoked, skipped, failed, recovered } = report.counts;
  const busy = issued + revoked + skipped + failed + recovered > 0;
  if (report.stopped !== undefined) {
    console.error(`error: ${report.stopped.message} (the pass stopped there; the next one reads on from it)`);
  }
  if (!busy) {
    return;
  }
  if (options.json === true) {
    console.log(JSON.stringify({ at: new Date().toISOString(), ...reportJson(pass) }));
  } else {
    console.log(`\n${new Date().toISOString()}\n${reportText(pass)}`);
  }
}

export function reportJson({ report, written, seconds }: Pass): object {
  return {
    counts: report.counts,
    seconds: Number(seconds.toFixed(1)),
    issued: written.map((w) => issuedJson(w.issued, w.files)),
    revoked: report.revoked.map(({ assetId, holderId, serial, newlyRevoked }) => ({
      assetId,
      holderId,
      serial,
      newlyRevoked,
    })),
    skipped: report.skipped.map(({ assetId, holderId, reason }) => ({ assetId, holderId, reason })),
    failed: report.failed.map(({ action, assetId, holderId, attempts, error }) => ({
      action,
      assetId,
      holderId,
      attempts,
      error: failureSentence(error),
    })),
    recovered: report.recovered,
    eventsRead: report.eventsRead,
    ...(report.stopped === undefined ? {} : { stopped: report.stopped.message }),
  };
}

export function reportText({ report, written, seconds }: Pass): string {
  const { issued, skipped, failed } = report.counts;
  const rate = seconds > 0 ? ` (${(issued / seconds).toFixed(1)} certificates/s)` : '';
  const counts = `${String(issued)} issued, ${String(skipped)} skipped, ${String(failed)} failed, ${count(report.eventsRead, 'event')} read in ${seconds.toFixed(1)} s${rate}`;
  const recovered =
    report.recovered > 0 ? `; ${String(report.recovered)} left by earlier runs now done.` : '.';
  return [
    counts + recovered,
    ...issuedLines(written, issued),
    ...revokedLines(report),
    ...skippedLines(report),
    ...failedLines(report),
  ].join('\n');
}

function issuedLines(written: readonly Written[], issued: number): string[] {
  if (written.length === 0) {
    return [];
  }
  const rows = written.map((w) => [
    w.issued.assetId,
    w.issued.holderId,
    w.issued.record.serial,
    w.files.folder,
  ]);
  const more = issued - written.length;
  return [
    '',
    formatTable(['asset', 'holder', 'serial', 'folder'], rows),
    ...(more > 0 ? [`… and ${String(more)} more, each in its folder under the --out folder.`] : []),
  ];
}

function revokedLines(report: IssueDueReport): string[] {
  if (report.revoked.length === 0) {
    return [];
  }
  const rows = report.revoked.map((r) => [
    r.assetId,
    r.holderId,
    r.serial,
    r.newlyRevoked ? 'now' : 'already',
  ]);
  return [
    '',
    formatTable(['asset', 'holder', 'serial', 'revoked at the CA'], rows),
    'A seller sold out: the ledger refuses these from the revoking block on; the CRL tells outside verifiers.',
  ];
}

function skippedLines(report: IssueDueReport): string[] {
  if (report.skipped.length === 0) {
    return [];
  }
  const rows = report.skipped.map((s) => [s.assetId, s.holderId, s.reason]);
  return ['', formatTable(['asset', 'holder', 'skipped because'], rows)];
}

function failedLines(report: IssueDueReport): string[] {
  if (report.failed.length === 0) {
    return [];
  }
  const rows = report.failed.map((f) => [
    f.action,
    f.assetId,
    f.holderId,
    f.attempts,
    failureSentence(f.error),
  ]);
  return [
    '',
    formatTable(['to do', 'asset', 'holder', 'attempts', 'failed because'], rows),
    'The run went on with the others; the next run tries these again first.',
  ];
}

/**
 * Holdings that failed are in the report and kept for the next run; the
 * exit status still says so (1), as does a run stopped by an outage.
 */
function failIfIncomplete(report: IssueDueReport): void {
  if (report.stopped !== undefined) {
    throw new CliError(
      `${report.stopped.message} (the run stopped there; the next one reads on from that event)`,
    );
  }
  if (report.failed.length > 0) {
    throw new CliError(
      `${count(report.failed.length, 'holding')} failed (listed above); the next run tries them again first`,
    );
  }
}

/** The SDK wraps what onIssued threw (a file that could not be written): show the CLI's own sentence. */
function failureSentence(error: Error): string {
  return isCliError(error.cause) ? error.cause.message : error.message;
}

const CA_REASONS: readonly RevocationReason[] = [
  'unspecified',
  'keycompromise',
  'affiliationchanged',
  'superseded',
  'cessationofoperation',
  'privilegewithdrawn',
];

interface RevokeCommandOptions extends WriteOptions {
  readonly reason: string;
  readonly caReason: RevocationReason;
}

function addRevokeCommand(certificates: Command): void {
  const revoke = withWriteOptions(
    certificates
      .command('revoke')
      .description(
        "revoke a holder's certificate at the asset CA (the CRL is regenerated, for outside verifiers) and on " +
          "the ledger: from the next block every node refuses the holder's queries (CERTIFICATE_REVOKED)",
      )
      .argument('<assetId>', 'the asset, A + 32 hex digits')
      .argument('<userId>', "the holder, one of the platform's users"),
  )
    .requiredOption('--reason <text>', 'why, kept on the ledger (e.g. "key lost")')
    .addOption(
      new Option(
        '--ca-reason <reason>',
        'the RFC 5280 reason the asset CA records (its CRL lists only serial and time)',
      )
        .choices(CA_REASONS)
        .default('unspecified'),
    )
    .action(async (assetId: string, userId: string, options: RevokeCommandOptions) => {
      const result = await withClient(writeConnection(options), (c) =>
        step(`revoking the certificate of ${userId} for ${assetId} (Fabric CA, then the ledger)`, () =>
          c.certificates.revoke(assetId, userId, options.reason, { caReason: options.caReason }),
        ),
      );
      printResult(options, {
        value: revokedJson(result),
        human: () => revokedText(result),
      });
    });
  withExamples(
    revoke,
    'crowdledger certificates revoke A0123… U0456… --org platform1 --reason "key lost" --ca-reason keycompromise',
  );
}

function revokedJson({ record, atCa }: RevokeResult): object {
  return { record, newlyRevokedAtCa: atCa.newlyRevoked, revokedSerialsAtCa: atCa.revokedSerials };
}

function revokedText({ record, atCa }: RevokeResult): string {
  const where = atCa.newlyRevoked ? 'at the asset CA and' : '(the CA had already) and';
  const siblings = atCa.revokedSerials.filter((serial) => serial !== normaliseSerial(record.serial));
  // Another certificate of the same holding (an issue whose result was lost) goes too.
  const alsoRevoked =
    siblings.length === 0 ? '' : ` Also revoked at the CA, same holding: ${siblings.join(', ')}.`;
  return sentenceAndFacts(
    `Revoked the certificate of ${record.holderId} for ${record.assetId} (serial ${record.serial}) ${where} on the ledger.${alsoRevoked} ` +
      "Every node refuses it from the next block; the asset CA's CRL (regenerated) tells outside verifiers.",
    recordFacts(record),
  );
}

function addShowCommand(certificates: Command): void {
  const show = withConnectionOptions(
    certificates
      .command('show')
      .description("show the ledger's record of a holding's certificate (NOT_FOUND when none was recorded)")
      .argument('<assetId>', 'the asset, A + 32 hex digits')
      .argument('<userId>', 'the holder'),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (assetId: string, userId: string, options: ConnectionOptions & { json?: boolean }) => {
      const record = await withClient(options, (c) => c.certificates.get(assetId, userId));
      printResult(options, {
        value: record,
        human: () => formatTable(['field', 'value'], recordFacts(record)),
      });
    });
  withExamples(
    show,
    'crowdledger certificates show A0123… U0456…',
    'crowdledger certificates show A0123… U0456… --json',
  );
}

function addQueryCommand(certificates: Command): void {
  const query = withConnectionOptions(
    certificates
      .command('query')
      .description(
        "a holder's own query: sign a fresh request with the key in a folder `issue` wrote, have --org " +
          '(any platform, or the registry) relay it, and show what the ledger gives the holder: the asset and ' +
          'their own holding. The key never leaves this process; CERTIFICATE_REVOKED once revoked',
      )
      .argument('<folder>', 'a folder holding cert.pem and key.pem'),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (folder: string, options: ConnectionOptions & { json?: boolean }) => {
      const holder = await readHolderFiles(folder);
      const view = await withClient(options, (c: CrowdLedgerClient) => c.certificates.query(holder));
      console.log(
        options.json === true ? formatJson(view) : formatTable(['field', 'value'], viewFacts(view)),
      );
    });
  withExamples(
    query,
    `crowdledger certificates query ${join('certificates', 'A0123…', 'U0456…')} --org platform2`,
    `crowdledger certificates query ${join('certificates', 'A0123…', 'U0456…')}   # relayed by the registry's auditor`,
  );
}

export function viewFacts(view: CertificateView): Cell[][] {
  return [
    ['asset', view.asset.assetId],
    ['name', view.asset.attributes.name],
    ['total units', view.asset.totalUnits],
    ['units held', view.holding.units],
    ['in escrow', view.holding.escrowed],
    ['free', view.holding.free],
    ['share of total', view.holding.shareOfTotal],
    ['certificate serial', view.holding.certificateSerial],
  ];
}
