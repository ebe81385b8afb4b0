import { Transient } from '@crowdledger/protocol';
import type { Checkpointer } from '@hyperledger/fabric-gateway';
import {
  CaErrorCode,
  type HolderCertificate,
  type HolderRevocation,
  issueHolderCertificate,
  type RevocationReason,
  revokeHolderCertificate,
  revokeHolderCertificates,
  toPkcs12,
} from '../ca';
import { ClientErrorCode, CrowdLedgerError, hasErrorCode, toCrowdLedgerError } from '../errors';
import type { ContractInvoker } from '../invoker';
import { type CertificateRecord, type CertificateView, decoders, type User } from '../model';
import type { GroupContext, HolderCredentials } from './context';
import { type SignedHolderQuery, signHolderQuery } from './holder-query';
import {
  type CertificateAction,
  filePendingStore,
  memoryPendingStore,
  type PendingHolding,
  pendingKey,
  type PendingStore,
} from './issuance-retries';
import type { CrowdLedgerEvent } from './event-types';
import { EventFeed } from './events';
import {
  type DueHolding,
  dueHoldingsIn,
  notIssuable,
  personalAttributes,
  revokedHoldingsIn,
  type SkipReason,
  skipReason,
} from './issuance';
import type { AuditApi } from './audit';
import type { UsersApi } from './users';

/** How a certificate is issued. */
export interface IssueOptions {
  /**
   * Write the holder's name (`crowdledger.name`) and masked ID number
   * (`crowdledger.idmask`) into the certificate (R3), read from this
   * platform's private collection. On by default; pass false for a
   * certificate that names only the asset and the holder ID. The ledger
   * never sees the PEM (it goes in the transient map), but whoever the
   * holder shows the certificate to reads these.
   */
  readonly personalAttributes?: boolean;
  /**
   * Replace the certificate on record, e.g. one whose key was lost. The
   * recorded certificate is revoked first, as {@link CertificatesApi.revoke}
   * does — at the asset CA with every sibling under its enrollment ID (CA
   * reason `superseded`), then on the ledger (reason
   * {@link REISSUE_REASON}) — and only then is the new one enrolled and
   * recorded, so the holding never has two live certificates. Should the
   * issue fail after the revocation, the holding is left REVOKED and a plain
   * {@link CertificatesApi.issue} completes it. The revocation is reported in
   * {@link IssuedCertificate.replaced}, with the CA's new CRL for verifiers
   * outside the network; every node refuses the old certificate from the
   * revoking block on.
   */
  readonly reissue?: boolean;
  /**
   * Called with the new certificate and key after the CA enrolled them and
   * before the ledger records them: store them here. A process killed after
   * the record but before its caller saw the result would otherwise leave an
   * ISSUED holding whose key nobody has; killed before the record, the
   * holding is still due and the next run issues it again (the unrecorded
   * certificate is refused by the ledger, and revoked with the holding's).
   * If it throws, nothing is recorded.
   */
  readonly onEnrolled?: (certificate: EnrolledCertificate) => Promise<void> | void;
}

/** A holder's new certificate and key, enrolled at the asset CA and not yet recorded on the ledger. */
export type EnrolledCertificate = Omit<IssuedCertificate, 'record' | 'replaced'>;

/** The ledger's revocation reason of a certificate replaced by {@link IssueOptions.reissue}. */
export const REISSUE_REASON = 'superseded by a reissued certificate';

/** A certificate issued to a holder and recorded on the ledger. Hand it to the holder; keep no copy of the key. */
export interface IssuedCertificate {
  /** The asset the certificate is for. */
  readonly assetId: string;
  /** The user ID of the holder it was issued to. */
  readonly holderId: string;
  /** The holding's enrollment ID on the asset CA. */
  readonly enrollmentId: string;
  /** The certificate (PEM), as recorded on the ledger. */
  readonly certificatePem: string;
  /** Unencrypted PKCS#8 PEM of the holder's new key. */
  readonly privateKeyPem: string;
  /** The asset CA's chain. */
  readonly caChainPem: string;
  /** What the ledger recorded. */
  readonly record: CertificateRecord;
  /**
   * Set by a {@link IssueOptions.reissue} that found a certificate on record:
   * its revocation on the ledger and at the CA, with the CA's new CRL.
   */
  readonly replaced?: RevokeResult;
  /** Certificate, key and chain as a passphrase-protected PKCS#12 (.p12) file. */
  pkcs12(passphrase: string): Promise<Buffer>;
}

/**
 * The holder made the key and the request on their own device; called with
 * the holding's enrollment ID, it returns their PEM PKCS#10 request. Fabric
 * CA signs a request only when its CN is the enrollment ID ("The CSR subject
 * common name must equal the enrollment ID"), and the ID is settled only
 * during issuance, so the device is asked then (`createKeyAndCsr` makes one).
 */
export type HolderCsr = (enrollmentId: string) => Promise<string> | string;

/** A certificate issued for a request the holder made: everything but the key, which they kept. */
export type CertificateForRequest = Omit<IssuedCertificate, 'privateKeyPem' | 'pkcs12'>;

/** How {@link CertificatesApi.issueToRequest} issues. */
export type IssueToRequestOptions = Omit<IssueOptions, 'onEnrolled'>;

/** How a certificate is revoked. */
export interface RevokeOptions {
  /** The RFC 5280 reason kept in the CA's database with the revocation (Fabric CA's CRL lists only serial and time); `unspecified` when absent. */
  readonly caReason?: RevocationReason;
}

/** A holding's certificate revoked at the asset CA (and on the ledger). */
export interface RevokedCertificate extends HolderRevocation {
  /** The asset the certificate was for. */
  readonly assetId: string;
  /** The user ID of the holder it was issued to. */
  readonly holderId: string;
}

/** What {@link CertificatesApi.revoke} did, on the ledger and at the CA. */
export interface RevokeResult {
  /** The ledger's record, now REVOKED. */
  readonly record: CertificateRecord;
  /**
   * The CA's side, with its new CRL for outside verifiers; its
   * `revokedSerials` lists every certificate of the holding revoked at the
   * CA by this call (the recorded one and any sibling).
   */
  readonly atCa: RevokedCertificate;
}

/** Options of {@link CertificatesApi.issueDue}. */
export interface IssueDueOptions {
  /**
   * Where issueDue keeps its place in the event feed: a file path (replaced
   * atomically, as `checkpointers.file` does) or a Checkpointer.
   */
  readonly checkpoint: string | Checkpointer;
  /** The first block to read when the checkpoint is new; 0 (all history) when absent. */
  readonly startBlock?: bigint;
  /** How long a quiet feed is taken to mean "caught up"; 2000 ms when absent. */
  readonly idleMs?: number;
  /** As {@link IssueOptions.personalAttributes}, for every certificate of the run; on when absent. */
  readonly personalAttributes?: boolean;
  /** As {@link IssueOptions.onEnrolled}, for every certificate of the run. */
  readonly onEnrolled?: IssueOptions['onEnrolled'];
  /**
   * Called with each certificate as soon as it is issued and recorded,
   * before the event is checkpointed. If it throws, the holding is reported
   * failed; it is on the ledger already, so deliver from `onEnrolled` when a
   * delivery must never be lost.
   */
  readonly onIssued?: (certificate: IssuedCertificate) => Promise<void> | void;
  /**
   * Where the holdings a run could not finish are kept for the next run: a
   * file path or a {@link PendingStore}. `<checkpoint>.pending.json` when the
   * checkpoint is a path; otherwise kept by this client only, so give one
   * with a Checkpointer of your own.
   */
  readonly pending?: string | PendingStore;
}

/** A holding issueDue left alone, and why. */
export interface SkippedHolding extends DueHolding {
  /** Why no certificate was issued for it. */
  readonly reason: SkipReason;
}

/** A holding issueDue could not finish; the run went on, and the next run tries it again first. */
export interface FailedHolding extends DueHolding {
  /** What was left undone: issuing its certificate, or revoking one at the CA. */
  readonly action: CertificateAction;
  /** What went wrong, as a CrowdLedgerError whatever was thrown. */
  readonly error: CrowdLedgerError;
  /** How many runs have tried it, this one included. */
  readonly attempts: number;
}

/** What one issueDue run did. */
export interface IssueDueReport {
  /** Certificates issued and recorded in this run, in event order; hand each to its holder. */
  readonly issued: readonly IssuedCertificate[];
  /**
   * Certificates of this platform's holders that the ledger revoked (a seller
   * who sold out, R6) and the CA has now revoked too, one entry per recorded
   * serial; `newlyRevoked` is false for those revoked already, and
   * `revokedSerials` lists what the CA revoked for it, siblings included
   * (the holding's other certificates, never its live one). The ledger
   * refused them already; the CA's CRL tells verifiers outside the network.
   */
  readonly revoked: readonly RevokedCertificate[];
  /** Holdings the events named that were not issued a certificate, each with its {@link SkipReason}. */
  readonly skipped: readonly SkippedHolding[];
  /**
   * Holdings that failed, kept for the next run (earlier runs' that failed
   * again included); empty when all went well. One failure never stops the
   * run: it goes on with the other holdings and events.
   */
  readonly failed: readonly FailedHolding[];
  /** Holdings earlier runs left pending that this run finished (issued, revoked or found not due). */
  readonly recovered: number;
  /** Events read and checkpointed. */
  readonly eventsRead: number;
  /**
   * Set when the peer or the CA could not be reached: the run stopped at that
   * event, which is not checkpointed, and the next run reads it again.
   */
  readonly stopped?: CrowdLedgerError;
}

/** Asset certificates: the ledger's records (R3), the holder's own query (R4), and issuing them. */
export interface CertificatesApi {
  /** Records a certificate the asset CA issued; the PEM goes in the transient map, never in a block. */
  record(assetId: string, holderId: string, certificatePem: string): Promise<CertificateRecord>;
  /**
   * Revokes one of this platform's holders' current certificate: at the
   * asset CA by its serial, with every other certificate still valid under
   * the holding's enrollment ID (each by serial, so the ID can enroll again;
   * the CRL is regenerated once), then on the ledger with
   * `reason`, after which the chaincode refuses it. Safe to repeat. For a lost
   * certificate, revoke and then {@link issue} again. NOT_OWN_USER for
   * another platform's user; NOT_FOUND when no certificate is recorded.
   */
  revoke(assetId: string, holderId: string, reason: string, options?: RevokeOptions): Promise<RevokeResult>;
  /** The record of a holding's current certificate; NOT_FOUND when none was recorded. */
  get(assetId: string, holderId: string): Promise<CertificateRecord>;
  /**
   * R4: what a holder's asset certificate gives them — their asset and own
   * holding, and nothing of anyone else's. The key signs a fresh query
   * request here ({@link signHolderQuery}) and never leaves this process;
   * the connected identity (any platform, or the registry) relays it.
   * CERTIFICATE_REVOKED, CERTIFICATE_EXPIRED or CERTIFICATE_INVALID when the
   * certificate is revoked, past its validity, or not the one on record.
   */
  query(holder: HolderCredentials): Promise<CertificateView>;
  /**
   * Relays a query the holder signed on their own side: the connected
   * identity passes certificate, request and signature to the chaincode and
   * returns its answer. QUERY_REQUEST_STALE when the request is more than
   * five minutes from now; QUERY_SIGNATURE_INVALID when its signature does
   * not verify under the certificate.
   */
  relayQuery(signed: SignedHolderQuery): Promise<CertificateView>;
  /**
   * Issues a certificate to one of this platform's users for an asset they
   * hold, when one is due (DUE, or REVOKED and holding units again), through
   * the asset CA, and records it on the ledger. NOT_OWN_USER, NOT_HOLDER or
   * CERTIFICATE_NOT_DUE otherwise, before the CA is asked. With
   * {@link IssueOptions.reissue}, an ISSUED holding is issued too, after its
   * certificate is revoked.
   */
  issue(assetId: string, userId: string, options?: IssueOptions): Promise<IssuedCertificate>;
  /**
   * As {@link issue}, for a key the holder keeps: the CA certifies the
   * request their device made ({@link HolderCsr}), and no private key is
   * made or handled here.
   */
  issueToRequest(
    assetId: string,
    userId: string,
    csr: HolderCsr,
    options?: IssueToRequestOptions,
  ): Promise<CertificateForRequest>;
  /**
   * Retries the holdings earlier runs left pending, then reads the event
   * feed from the checkpoint to the current block and issues every due
   * certificate of this platform's users; holdings already issued are
   * skipped, so running it again is safe. Certificates the ledger revoked (a
   * seller's last unit sold) are revoked at the CA as well. A holding that
   * fails is kept pending with its reason and the run goes on.
   */
  issueDue(options: IssueDueOptions): Promise<IssueDueReport>;
}

const DEFAULT_IDLE_MS = 2_000;

/**
 * The {@link CertificatesApi} over the `certificates` contract and the asset
 * CA; it reads users and record histories through the users and audit groups.
 */
export class CertificatesClient implements CertificatesApi {
  readonly #context: GroupContext;
  readonly #certificates: ContractInvoker<'certificates'>;
  readonly #users: UsersApi;
  readonly #audit: AuditApi;
  readonly #memoryPending = memoryPendingStore();

  constructor(context: GroupContext, users: UsersApi, audit: AuditApi) {
    this.#context = context;
    this.#certificates = context.contract('certificates');
    this.#users = users;
    this.#audit = audit;
  }

  record(assetId: string, holderId: string, certificatePem: string): Promise<CertificateRecord> {
    return this.#certificates.submit('Record', decoders.certificateRecord, {
      arguments: [assetId, holderId],
      transientData: { [Transient.certificate]: certificatePem },
    });
  }

  async revoke(
    assetId: string,
    holderId: string,
    reason: string,
    options: RevokeOptions = {},
  ): Promise<RevokeResult> {
    const user = await this.#users.get(holderId);
    if (user.platform !== this.#context.mspId) {
      throw notIssuable('OTHER_PLATFORM', this.#context.mspId, user, assetId);
    }
    const current = await this.get(assetId, holderId);
    return this.#revokeRecorded(current, reason, options.caReason ?? 'unspecified');
  }

  get(assetId: string, holderId: string): Promise<CertificateRecord> {
    return this.#certificates.evaluate('Get', decoders.certificateRecord, [assetId, holderId]);
  }

  async query(holder: HolderCredentials): Promise<CertificateView> {
    return this.relayQuery(await signHolderQuery(holder));
  }

  relayQuery(signed: SignedHolderQuery): Promise<CertificateView> {
    return this.#certificates.evaluate('QueryByCertificate', decoders.certificateView, {
      transientData: {
        [Transient.certificate]: signed.certificatePem,
        [Transient.holderQuery]: JSON.stringify(signed.request),
        [Transient.holderSignature]: signed.signature,
      },
    });
  }

  async issue(assetId: string, userId: string, options: IssueOptions = {}): Promise<IssuedCertificate> {
    const replaced = await this.#makeDue(assetId, userId, options.reissue ?? false);
    const issued = await this.#issueNow(assetId, userId, options);
    return replaced === undefined ? issued : { ...issued, replaced };
  }

  async issueToRequest(
    assetId: string,
    userId: string,
    csr: HolderCsr,
    options: IssueToRequestOptions = {},
  ): Promise<CertificateForRequest> {
    const replaced = await this.#makeDue(assetId, userId, options.reissue ?? false);
    const issued = await this.#enroll(assetId, userId, options, csr);
    const { enrollmentId, certificatePem, caChainPem } = issued;
    const record = await this.record(assetId, userId, certificatePem);
    const result = { assetId, holderId: userId, enrollmentId, certificatePem, caChainPem, record };
    return replaced === undefined ? result : { ...result, replaced };
  }

  /** Refuses what is not this platform's to issue now; for a reissue, revokes what is on record first. */
  async #makeDue(assetId: string, userId: string, reissue: boolean): Promise<RevokeResult | undefined> {
    const { user, reason } = await this.#check({ assetId, holderId: userId }, reissue);
    if (reason !== undefined) {
      throw notIssuable(reason, this.#context.mspId, user, assetId);
    }
    return reissue ? this.#revokeForReissue(assetId, userId) : undefined;
  }

  async issueDue(options: IssueDueOptions): Promise<IssueDueReport> {
    const height = await this.#context.chainHeight();
    const store = this.#pendingStore(options);
    const issuing = issuingOf(options);
    const run = new IssueDueRun(
      {
        issueIfDue: (due) => this.#issueIfDue(due, issuing),
        revokeAtCa: (holding) => this.#followLedgerRevocation(holding),
        onIssued: options.onIssued,
      },
      await store.load(),
    );
    if (await run.retryPending()) {
      await this.#readFeed(options, height, run, store);
    }
    await store.save(run.pending());
    return run.report();
  }

  /** The events from the checkpoint to `height`; each is checkpointed once its failures are kept. */
  async #readFeed(
    options: IssueDueOptions,
    height: bigint,
    run: IssueDueRun,
    store: PendingStore,
  ): Promise<void> {
    const feed = await EventFeed.open(this.#context, {
      checkpoint: options.checkpoint,
      startBlock: options.startBlock ?? 0n,
    });
    try {
      for (;;) {
        const event = await feed.next(options.idleMs ?? DEFAULT_IDLE_MS);
        // Past the height read at the start is the next run's work.
        if (event === undefined || event.blockNumber >= height || !(await run.handle(workIn(event)))) {
          break;
        }
        if (run.takeChanged()) {
          await store.save(run.pending());
        }
        await feed.ack();
      }
    } finally {
      feed.close();
    }
  }

  #pendingStore(options: IssueDueOptions): PendingStore {
    if (typeof options.pending === 'string') {
      return filePendingStore(options.pending);
    }
    if (options.pending !== undefined) {
      return options.pending;
    }
    return typeof options.checkpoint === 'string'
      ? filePendingStore(`${options.checkpoint}.pending.json`)
      : this.#memoryPending;
  }

  /**
   * Revokes a recorded certificate at the CA (with its siblings), then on the
   * ledger unless it is REVOKED there already.
   */
  async #revokeRecorded(
    current: CertificateRecord,
    reason: string,
    caReason: RevocationReason,
  ): Promise<RevokeResult> {
    const { assetId, holderId } = current;
    const { ca } = await this.#context.assetCa();
    // The CA first: a retry after a failed ledger step finds it done (code 66).
    const revocation = await revokeHolderCertificate(ca, current.serial, caReason);
    const record =
      current.status === 'REVOKED'
        ? current
        : await this.#certificates.submit('Revoke', decoders.certificateRecord, {
            arguments: [assetId, holderId, reason],
          });
    return { record, atCa: { assetId, holderId, ...revocation } };
  }

  /** What a reissue revokes first: the recorded certificate, if there is one (ACTIVE or not). */
  async #revokeForReissue(assetId: string, holderId: string): Promise<RevokeResult | undefined> {
    let current: CertificateRecord;
    try {
      current = await this.get(assetId, holderId);
    } catch (error) {
      if (hasErrorCode(error, 'NOT_FOUND')) {
        return undefined;
      }
      throw error;
    }
    return this.#revokeRecorded(current, REISSUE_REASON, 'superseded');
  }

  async #issueIfDue(due: DueHolding, issuing: IssueOptions): Promise<IssuedCertificate | SkipReason> {
    const { reason } = await this.#check(due, false);
    return reason ?? this.#issueNow(due.assetId, due.holderId, issuing);
  }

  /**
   * Revokes at the CA every certificate of one of this platform's holdings
   * that the ledger's history shows REVOKED, with their siblings under the
   * same enrollment ID. Every one, not only the latest: by the time an old
   * event is read the holder may have bought again and hold a newer
   * certificate, which is why the ledger's live certificate is kept.
   */
  async #followLedgerRevocation(holding: DueHolding): Promise<RevokedCertificate[]> {
    const user = await this.#users.get(holding.holderId);
    if (user.platform !== this.#context.mspId) {
      return [];
    }
    const history = await this.#audit.history('certificate', `${holding.assetId}/${holding.holderId}`);
    const serials = new Set(
      history.flatMap((entry) => (entry.value?.status === 'REVOKED' ? [entry.value.serial] : [])),
    );
    if (serials.size === 0) {
      return [];
    }
    const current = await this.get(holding.assetId, holding.holderId);
    const keep = current.status === 'ACTIVE' ? [current.serial] : [];
    const { ca } = await this.#context.assetCa();
    const revocations = await revokeHolderCertificates(ca, [...serials], 'cessationofoperation', { keep });
    return revocations.map((revocation) => ({ ...holding, ...revocation }));
  }

  /** Reads the user and their holding from the ledger: may this platform issue now? */
  async #check(due: DueHolding, reissue: boolean): Promise<{ user: User; reason: SkipReason | undefined }> {
    const user = await this.#users.get(due.holderId);
    if (user.platform !== this.#context.mspId) {
      return { user, reason: 'OTHER_PLATFORM' };
    }
    const portfolio = await this.#users.portfolio(due.holderId);
    const holding = portfolio.holdings.find((h) => h.assetId === due.assetId);
    return { user, reason: skipReason(this.#context.mspId, user, holding, reissue) };
  }

  async #issueNow(assetId: string, userId: string, options: IssueOptions): Promise<IssuedCertificate> {
    const issued = await this.#enroll(assetId, userId, options);
    const enrolled: EnrolledCertificate = { assetId, holderId: userId, ...handedOver(issued) };
    await options.onEnrolled?.(enrolled);
    return { ...enrolled, record: await this.record(assetId, userId, issued.certificatePem) };
  }

  /** Registers and enrolls at the asset CA: a new key here, or the holder's own request. */
  async #enroll(
    assetId: string,
    userId: string,
    options: IssueToRequestOptions,
    csr?: HolderCsr,
  ): Promise<HolderCertificate> {
    const withPersonal = options.personalAttributes ?? true;
    const extraAttrs = withPersonal ? personalAttributes(await this.#users.personalData(userId)) : undefined;
    const { ca, platform, enrollmentIdKey } = await this.#context.assetCa();
    return issueHolderCertificate(ca, {
      platform,
      assetId,
      holderId: userId,
      idKey: enrollmentIdKey,
      ...(extraAttrs === undefined ? {} : { extraAttrs }),
      ...(csr === undefined ? {} : { csr }),
    });
  }
}

/** The certificate work one event brings. */
interface CertificateWork {
  readonly issue: readonly DueHolding[];
  readonly revoke: readonly DueHolding[];
}

function workIn(event: CrowdLedgerEvent): CertificateWork {
  return { issue: dueHoldingsIn(event), revoke: revokedHoldingsIn(event) };
}

interface IssueDueSteps {
  readonly issueIfDue: (due: DueHolding) => Promise<IssuedCertificate | SkipReason>;
  readonly revokeAtCa: (holding: DueHolding) => Promise<RevokedCertificate[]>;
  readonly onIssued: IssueDueOptions['onIssued'];
}

/** One holding's work in a run. */
interface HoldingStep extends DueHolding {
  readonly action: CertificateAction;
}

/** No answer from the peer or the CA: every holding would fail alike, so the run stops instead. */
const OUTAGES: ReadonlySet<string> = new Set([
  ClientErrorCode.unavailable,
  ClientErrorCode.timeout,
  CaErrorCode.unreachable,
]);

/** The bookkeeping of one issueDue run: what it did, and the holdings pending for the next. */
class IssueDueRun {
  readonly #steps: IssueDueSteps;
  readonly #pending: Map<string, PendingHolding>;
  readonly #issued: IssuedCertificate[] = [];
  readonly #revoked: RevokedCertificate[] = [];
  readonly #skipped: SkippedHolding[] = [];
  readonly #failed: FailedHolding[] = [];
  #recovered = 0;
  #events = 0;
  #changed = false;
  #stopped: CrowdLedgerError | undefined;

  constructor(steps: IssueDueSteps, pending: readonly PendingHolding[]) {
    this.#steps = steps;
    this.#pending = new Map(pending.map((p) => [pendingKey(p), p]));
  }

  /** Tries every holding earlier runs left pending; false when the peer or CA is out of reach. */
  async retryPending(): Promise<boolean> {
    for (const { action, assetId, holderId } of [...this.#pending.values()]) {
      if (!(await this.#attempt({ action, assetId, holderId }))) {
        return false;
      }
    }
    return true;
  }

  /** Does what one event asks for; false when the run must stop there (peer or CA out of reach). */
  async handle(work: CertificateWork): Promise<boolean> {
    const steps: HoldingStep[] = [
      ...work.revoke.map((holding) => ({ ...holding, action: 'revoke' as const })),
      ...work.issue.map((holding) => ({ ...holding, action: 'issue' as const })),
    ];
    for (const step of steps) {
      if (!(await this.#attempt(step))) {
        return false;
      }
    }
    this.#events += 1;
    return true;
  }

  /** True once since the pending holdings last changed: they must be saved before the event is checkpointed. */
  takeChanged(): boolean {
    const changed = this.#changed;
    this.#changed = false;
    return changed;
  }

  pending(): PendingHolding[] {
    return [...this.#pending.values()];
  }

  async #attempt(step: HoldingStep): Promise<boolean> {
    const key = pendingKey(step);
    const holding = { assetId: step.assetId, holderId: step.holderId };
    try {
      await (step.action === 'revoke' ? this.#revokeOne(holding) : this.#issueOne(holding));
    } catch (thrown) {
      const error = toCrowdLedgerError(thrown);
      if (OUTAGES.has(error.code)) {
        this.#stopped = error;
        return false;
      }
      this.#keepPending(step, error);
      return true;
    }
    if (this.#pending.delete(key)) {
      this.#recovered += 1;
      this.#changed = true;
    }
    return true;
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
    this.#failed.push({ action, assetId, holderId, error, attempts });
    this.#changed = true;
  }

  async #revokeOne(holding: DueHolding): Promise<void> {
    this.#revoked.push(...(await this.#steps.revokeAtCa(holding)));
  }

  async #issueOne(holding: DueHolding): Promise<void> {
    const outcome = await this.#steps.issueIfDue(holding);
    if (typeof outcome === 'string') {
      this.#skipped.push({ ...holding, reason: outcome });
      return;
    }
    this.#issued.push(outcome);
    await this.#steps.onIssued?.(outcome);
  }

  report(): IssueDueReport {
    const report = {
      issued: this.#issued,
      revoked: this.#revoked,
      skipped: this.#skipped,
      failed: this.#failed,
      recovered: this.#recovered,
      eventsRead: this.#events,
    };
    return this.#stopped === undefined ? report : { ...report, stopped: this.#stopped };
  }
}

/** What a caller gets of an issued certificate before the ledger records it. */
function handedOver(issued: HolderCertificate): Omit<EnrolledCertificate, 'assetId' | 'holderId'> {
  const { enrollmentId, certificatePem, privateKeyPem, caChainPem } = issued;
  if (privateKeyPem === undefined) {
    throw new CrowdLedgerError(ClientErrorCode.unexpected, 'the CA client made no key for this certificate');
  }
  return {
    enrollmentId,
    certificatePem,
    privateKeyPem,
    caChainPem,
    pkcs12: (passphrase) =>
      toPkcs12({ certificatePem, privateKeyPem, caChainPem, passphrase, friendlyName: enrollmentId }),
  };
}

/** What issueDue passes on to each issue: personal attributes (on by default) and the enrolled hook. */
function issuingOf({ personalAttributes = true, onEnrolled }: IssueDueOptions): IssueOptions {
  return onEnrolled === undefined ? { personalAttributes } : { personalAttributes, onEnrolled };
}
