// One issueDue run: the holdings earlier runs left pending, then the event
// feed, issued many at a time. Registrations and enrollments at the asset CA
// run up to `concurrency` at once; the certificates they return are written
// out (onEnrolled) as each comes, and recorded on the ledger in batches
// (certificates:RecordBatch). An event is checkpointed only once every
// holding it named, and every event before it, is done or kept pending.
import type {
  CertificateBatchRefusal,
  CertificateBatchResult,
  CertificateRecord,
} from '@crowdledger/protocol';
import { CaErrorCode } from '../ca/errors';
import { ClientErrorCode, CrowdLedgerError, errorFor, toCrowdLedgerError } from '../errors';
import type {
  EnrolledCertificate,
  FailedHolding,
  IssueDueProgress,
  IssueDueReport,
  IssuedCertificate,
  RevokedCertificate,
  SkippedHolding,
} from './certificates';
import type { EventPosition } from './event-types';
import type { DueHolding, SkipReason } from './issuance';
import { type CertificateAction, type PendingHolding, pendingKey } from './issuance-retries';
import { Batcher, Semaphore } from './pipeline';

/** The certificate work one event brings. */
export interface CertificateWork {
  /** Holdings that may be due a certificate. */
  readonly issue: readonly DueHolding[];
  /** Holdings whose certificates the ledger revoked, to revoke at the CA too. */
  readonly revoke: readonly DueHolding[];
}

/** An event of the feed, with its work. */
export interface FeedEntry extends EventPosition {
  /** What the event asks of this platform's certificate desk. */
  readonly work: CertificateWork;
}

/** The events of one run, in order. */
export interface WorkFeed {
  /** The next event; undefined once the run's range is read. */
  next(): Promise<FeedEntry | undefined>;
  /** Checkpoints the feed up to and including this event. */
  checkpoint(position: EventPosition): Promise<void>;
}

/** One certificate to record: what certificates:RecordBatch takes per item. */
export interface BatchEntry extends DueHolding {
  /** The certificate (PEM), for the transient map. */
  readonly certificatePem: string;
}

/** What a run does to a holding, given from outside so that it can be tested without a network. */
export interface IssueDueSteps {
  /** Reads the ledger: undefined when this platform may issue the holding now. */
  readonly check: (due: DueHolding) => Promise<SkipReason | undefined>;
  /** Registers (or reuses the registration) and enrolls at the asset CA. */
  readonly enroll: (due: DueHolding) => Promise<EnrolledCertificate>;
  /** certificates:RecordBatch. */
  readonly recordBatch: (items: readonly BatchEntry[]) => Promise<CertificateBatchResult>;
  /** Follows the ledger's revocation of a holding's certificates at the CA. */
  readonly revokeAtCa: (holding: DueHolding) => Promise<RevokedCertificate[]>;
  /** Keeps the pending holdings; durable when it resolves. */
  readonly savePending: (pending: readonly PendingHolding[]) => Promise<void>;
  /** Stores a certificate and its key before the ledger records it. */
  readonly onEnrolled?: ((certificate: EnrolledCertificate) => Promise<void> | void) | undefined;
  /** Hands a recorded certificate over. */
  readonly onIssued?: ((certificate: IssuedCertificate) => Promise<void> | void) | undefined;
  /** Shows how far the run is. */
  readonly onProgress?: ((progress: IssueDueProgress) => void) | undefined;
}

/** How many at once, and how many per batch. */
export interface IssueDueSettings {
  /** Holdings being checked and enrolled at the CA at once. */
  readonly concurrency: number;
  /** Certificates per RecordBatch transaction. */
  readonly batchSize: number;
  /** RecordBatch transactions in flight at once. */
  readonly batchesInFlight: number;
  /** How long a batch that is not full waits for more. */
  readonly lingerMs: number;
  /** The most entries each of the issued, revoked and skipped lists keeps. */
  readonly listLimit: number;
  /** The last block the run reads (for progress). */
  readonly lastBlock: bigint | undefined;
}

/** No answer from the peer or the CA: every holding would fail alike, so the run stops instead. */
const OUTAGES: ReadonlySet<string> = new Set([
  ClientErrorCode.unavailable,
  ClientErrorCode.timeout,
  CaErrorCode.unreachable,
]);

/** Events read but not yet checkpointed, at most: a long stretch of events with nothing to do waits here. */
const MAX_UNACKED = 1_000;

/** One holding's work in a run. */
interface HoldingStep extends DueHolding {
  readonly action: CertificateAction;
}

/** An event read, until it is checkpointed. */
interface Unacked {
  readonly position: EventPosition;
  /** Its holdings not yet done. */
  outstanding: number;
  /** All its holdings are started. */
  sealed: boolean;
  /** One of its holdings met an outage: it, and every event after it, stays unacked. */
  blocked: boolean;
}

/** A certificate the batch recorded, or the refusal of its item. */
type Recorded = CertificateRecord | CertificateBatchRefusal;

/** The bookkeeping and the pipeline of one issueDue run. */
export class IssueDueRun {
  readonly #steps: IssueDueSteps;
  readonly #settings: IssueDueSettings;
  readonly #pending: Map<string, PendingHolding>;
  readonly #ca: Semaphore;
  readonly #window: Semaphore;
  readonly #batcher: Batcher<BatchEntry, Recorded>;
  /** The holdings at work, by holding: a second step for one waits for the first. */
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #unacked: Unacked[] = [];
  readonly #ackWaiters: (() => void)[] = [];
  readonly #lists = {
    issued: [] as IssuedCertificate[],
    revoked: [] as RevokedCertificate[],
    skipped: [] as SkippedHolding[],
    failed: [] as FailedHolding[],
  };
  readonly #counts = { issued: 0, revoked: 0, skipped: 0, failed: 0, recovered: 0, eventsRead: 0 };
  #feed: WorkFeed | undefined;
  #acking: Promise<void> = Promise.resolve();
  #changed = false;
  /** Holdings being checked, enrolled or stored: certificates that may still join the open batch. */
  #preparing = 0;
  /** Nothing more will be started: the open batch goes as soon as nothing can join it. */
  #draining = false;
  #stopped: CrowdLedgerError | undefined;
  #fatal: unknown;
  #block: bigint | undefined;

  constructor(steps: IssueDueSteps, settings: IssueDueSettings, pending: readonly PendingHolding[]) {
    this.#steps = steps;
    this.#settings = settings;
    this.#pending = new Map(pending.map((p) => [pendingKey(p), p]));
    this.#ca = new Semaphore(settings.concurrency);
    this.#window = new Semaphore(settings.concurrency + settings.batchSize * settings.batchesInFlight);
    this.#batcher = new Batcher({
      size: settings.batchSize,
      lingerMs: settings.lingerMs,
      inFlight: settings.batchesInFlight,
      send: (items) => this.#record(items),
    });
  }

  /**
   * Retries what earlier runs left pending, then, unless that met an outage,
   * reads `feed` to its end. Rejects only when a checkpoint or the pending
   * holdings cannot be written.
   */
  async run(feed: WorkFeed | undefined): Promise<void> {
    for (const { action, assetId, holderId } of [...this.#pending.values()]) {
      await this.#admit({ action, assetId, holderId }, undefined);
    }
    await this.#settle();
    if (feed !== undefined && this.#stopped === undefined) {
      this.#feed = feed;
      await this.#read(feed);
      await this.#settle();
    }
    if (this.#fatal !== undefined) {
      throw toCrowdLedgerError(this.#fatal);
    }
  }

  /** The holdings still pending: earlier runs' not done, and this run's failures. */
  pending(): PendingHolding[] {
    return [...this.#pending.values()];
  }

  /** What the run did: counts, and the lists up to listLimit. */
  report(): IssueDueReport {
    const { issued, revoked, skipped, failed, recovered, eventsRead } = this.#counts;
    const report = {
      ...this.#lists,
      recovered,
      eventsRead,
      counts: { issued, revoked, skipped, failed, recovered },
    };
    return this.#stopped === undefined ? report : { ...report, stopped: this.#stopped };
  }

  async #read(feed: WorkFeed): Promise<void> {
    while (this.#stopped === undefined && this.#fatal === undefined) {
      await this.#roomToRead();
      const entry = await feed.next();
      if (entry === undefined) {
        return;
      }
      this.#block = entry.blockNumber;
      const unacked: Unacked = { position: entry, outstanding: 0, sealed: false, blocked: false };
      this.#unacked.push(unacked);
      const steps: HoldingStep[] = [
        ...entry.work.revoke.map((holding) => ({ ...holding, action: 'revoke' as const })),
        ...entry.work.issue.map((holding) => ({ ...holding, action: 'issue' as const })),
      ];
      for (const step of steps) {
        await this.#admit(step, unacked);
      }
      unacked.sealed = true;
      this.#advance();
    }
  }

  /** Waits for a place in the window, then starts the step; its event waits for it. */
  async #admit(step: HoldingStep, unacked: Unacked | undefined): Promise<void> {
    await this.#window.acquire();
    if (this.#stopped !== undefined || this.#fatal !== undefined) {
      this.#window.release();
      if (unacked !== undefined) {
        unacked.blocked = true;
      }
      return;
    }
    if (unacked !== undefined) {
      unacked.outstanding += 1;
    }
    const key = `${step.assetId}/${step.holderId}`;
    const before = this.#inFlight.get(key) ?? Promise.resolve();
    const task = before.then(async () => {
      const outage = await this.#attempt(step);
      if (outage && unacked !== undefined) {
        unacked.blocked = true;
      }
    });
    const done = task.finally(() => {
      this.#window.release();
      if (this.#inFlight.get(key) === done) {
        this.#inFlight.delete(key);
      }
      if (unacked !== undefined) {
        unacked.outstanding -= 1;
      }
      this.#progress();
      this.#advance();
    });
    this.#inFlight.set(key, done);
  }

  /** Does one step; true when it met an outage (the run stops). */
  async #attempt(step: HoldingStep): Promise<boolean> {
    const holding = { assetId: step.assetId, holderId: step.holderId };
    try {
      await (step.action === 'revoke' ? this.#revokeOne(holding) : this.#issueOne(holding));
    } catch (thrown) {
      const error = toCrowdLedgerError(thrown);
      if (OUTAGES.has(error.code)) {
        this.#stopped ??= error;
        return true;
      }
      this.#keepPending(step, error);
      return false;
    }
    if (this.#pending.delete(pendingKey(step))) {
      this.#counts.recovered += 1;
      this.#changed = true;
    }
    return false;
  }

  async #revokeOne(holding: DueHolding): Promise<void> {
    const revoked = await this.#ca.run(() => this.#steps.revokeAtCa(holding));
    this.#counts.revoked += revoked.length;
    this.#keep(this.#lists.revoked, ...revoked);
  }

  async #issueOne(holding: DueHolding): Promise<void> {
    const enrolled = await this.#prepare(holding);
    if (typeof enrolled === 'string') {
      this.#counts.skipped += 1;
      this.#keep(this.#lists.skipped, { ...holding, reason: enrolled });
      return;
    }
    const added = this.#batcher.add({ ...holding, certificatePem: enrolled.certificatePem });
    this.#leavePreparing();
    const recorded = await added;
    if ('index' in recorded) {
      throw refusalError(recorded);
    }
    const issued: IssuedCertificate = { ...enrolled, record: recorded };
    this.#counts.issued += 1;
    this.#keep(this.#lists.issued, issued);
    await this.#steps.onIssued?.(issued);
  }

  /** Adds to a report list while it is under the limit. */
  #keep<T>(list: T[], ...entries: T[]): void {
    list.push(...entries.slice(0, Math.max(0, this.#settings.listLimit - list.length)));
  }

  /**
   * Checks the holding, enrolls it at the CA and has the caller store the
   * certificate and key (on disk before the ledger records it); a skip
   * reason when it is not due. Counted as preparing until its certificate
   * joins a batch.
   */
  async #prepare(holding: DueHolding): Promise<EnrolledCertificate | SkipReason> {
    this.#preparing += 1;
    let enrolled: EnrolledCertificate | SkipReason;
    try {
      enrolled = await this.#ca.run(async () => {
        const reason = await this.#steps.check(holding);
        return reason ?? this.#steps.enroll(holding);
      });
      if (typeof enrolled !== 'string') {
        await this.#steps.onEnrolled?.(enrolled);
      }
    } catch (error) {
      this.#leavePreparing();
      throw error;
    }
    if (typeof enrolled === 'string') {
      this.#leavePreparing();
    }
    return enrolled;
  }

  #leavePreparing(): void {
    this.#preparing -= 1;
    if (this.#draining && this.#preparing === 0) {
      this.#batcher.flush();
    }
  }

  /** One RecordBatch for the batch; each item's record, or its refusal. */
  async #record(items: readonly BatchEntry[]): Promise<Recorded[]> {
    const result = await this.#steps.recordBatch(items);
    const key = (h: DueHolding): string => `${h.assetId}/${h.holderId}`;
    const outcomes = new Map<string, Recorded>([
      ...result.recorded.map((r) => [key(r), r] as const),
      ...result.refused.map((r) => [key(r), r] as const),
    ]);
    return items.map((item) => {
      const outcome = outcomes.get(key(item));
      if (outcome === undefined) {
        throw new CrowdLedgerError(ClientErrorCode.badResponse, `RecordBatch said nothing of ${key(item)}`);
      }
      return outcome;
    });
  }

  #keepPending(step: HoldingStep, error: CrowdLedgerError): void {
    const attempts = (this.#pending.get(pendingKey(step))?.attempts ?? 0) + 1;
    const { action, assetId, holderId } = step;
    this.#pending.set(pendingKey(step), {
      action,
      assetId,
      holderId,
      code: error.code,
      sentence: error.sentence,
      failedAt: new Date().toISOString(),
      attempts,
    });
    this.#counts.failed += 1;
    this.#lists.failed.push({ action, assetId, holderId, error, attempts });
    this.#changed = true;
  }

  /** Checkpoints, in order, every event whose holdings are all done; one pass at a time. */
  #advance(): void {
    this.#acking = this.#acking
      .then(() => this.#ackReady())
      .catch((error: unknown) => {
        this.#fatal ??= error;
      });
  }

  async #ackReady(): Promise<void> {
    const feed = this.#feed;
    for (let head = this.#unacked[0]; head !== undefined; head = this.#unacked[0]) {
      if (feed === undefined || !this.#isDone(head)) {
        return;
      }
      // What failed must be kept before the event that named it is checkpointed.
      await this.#savePendingIfChanged();
      await feed.checkpoint(head.position);
      this.#unacked.shift();
      this.#counts.eventsRead += 1;
      this.#ackWaiters.shift()?.();
    }
  }

  #isDone(event: Unacked): boolean {
    return event.sealed && event.outstanding === 0 && !event.blocked && this.#fatal === undefined;
  }

  async #savePendingIfChanged(): Promise<void> {
    if (this.#changed) {
      this.#changed = false;
      await this.#steps.savePending(this.pending());
    }
  }

  async #roomToRead(): Promise<void> {
    while (this.#unacked.length >= MAX_UNACKED && this.#fatal === undefined) {
      await new Promise<void>((resolve) => this.#ackWaiters.push(resolve));
    }
  }

  /** Waits until every step started is done and every event that can be checkpointed is. */
  async #settle(): Promise<void> {
    this.#draining = true;
    while (this.#inFlight.size > 0) {
      if (this.#preparing === 0) {
        this.#batcher.flush();
      }
      await Promise.allSettled([...this.#inFlight.values()]);
    }
    this.#draining = false;
    this.#advance();
    await this.#acking;
    // Failures of the pending retries, or of an event left unacked, are kept before the run ends.
    await this.#savePendingIfChanged().catch((error: unknown) => {
      this.#fatal ??= error;
    });
  }

  #progress(): void {
    const { issued, revoked, skipped, failed, recovered, eventsRead } = this.#counts;
    this.#steps.onProgress?.({
      issued,
      revoked,
      skipped,
      failed,
      recovered,
      eventsRead,
      inFlight: this.#window.held,
      blockNumber: this.#block,
      lastBlock: this.#settings.lastBlock,
    });
  }
}

/** A refused item as the error Record would have thrown for it. */
function refusalError(refusal: CertificateBatchRefusal): CrowdLedgerError {
  return errorFor(refusal.code, refusal.sentence);
}
