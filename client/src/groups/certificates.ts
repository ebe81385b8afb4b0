import {
  type CertificateBatchItem,
  type CertificateBatchResult,
  MAX_CERTIFICATE_BATCH,
  Transient,
} from '@crowdledger/protocol';
import type { Checkpointer } from '@hyperledger/fabric-gateway';
import {
  type HolderCertificate,
  type HolderRevocation,
  issueHolderCertificate,
  type RevocationReason,
  revokeHolderCertificate,
  revokeHolderCertificates,
  toPkcs12,
} from '../ca';
import { ClientErrorCode, CrowdLedgerError, hasErrorCode } from '../errors';
import type { ContractInvoker } from '../invoker';
import { type CertificateRecord, type CertificateView, decoders, type User } from '../model';
import type { GroupContext, HolderCredentials } from './context';
import { type SignedHolderQuery, signHolderQuery } from './holder-query';
import {
  type CertificateAction,
  filePendingStore,
  memoryPendingStore,
  type PendingStore,
} from './issuance-retries';
import {
  type CertificateWork,
  IssueDueRun,
  type IssueDueSettings,
  type IssueDueSteps,
  type WorkFeed,
} from './issue-due';
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
  /**
   * Holdings checked on the ledger and registered and enrolled at the asset
   * CA at once; {@link DEFAULT_ISSUE_CONCURRENCY} when absent, at most
   * {@link MAX_ISSUE_CONCURRENCY}. Give the CA client an agent with as many
   * sockets (`FabricCaClientOptions.agent`) and the asset CA's database room
   * for as many writers.
   */
  readonly concurrency?: number;
  /**
   * Certificates recorded per ledger transaction (certificates:RecordBatch);
   * {@link DEFAULT_ISSUE_BATCH_SIZE} when absent, at most
   * MAX_CERTIFICATE_BATCH. 1 records one per transaction.
   */
  readonly batchSize?: number;
  /**
   * The most entries the report's `issued`, `revoked` and `skipped` lists
   * keep each (the first ones); `counts` keeps the totals. No limit when
   * absent; set one for a long run, so that a run over 100,000 holdings
   * keeps no more keys and certificates than that once they are handed
   * over (take each from `onIssued`), and 0 to keep counts only.
   */
  readonly listLimit?: number;
  /** Called as holdings are done, with the run's counts so far; for a progress display. */
  readonly onProgress?: (progress: IssueDueProgress) => void;
}

/** How far an issueDue run is, for {@link IssueDueOptions.onProgress}. */
export interface IssueDueProgress extends IssueDueCounts {
  /** Events read and checkpointed so far. */
  readonly eventsRead: number;
  /** Holdings started and not yet done (at the CA, or waiting for their batch). */
  readonly inFlight: number;
  /** The block of the last event read; undefined before the feed is read. */
  readonly blockNumber: bigint | undefined;
  /** The last block this run reads (the height when it started, less one). */
  readonly lastBlock: bigint | undefined;
}

/** How many holdings a run did what to. */
export interface IssueDueCounts {
  /** Certificates issued and recorded. */
  readonly issued: number;
  /** Certificates revoked at the CA. */
  readonly revoked: number;
  /** Holdings skipped (not due, or not this platform's). */
  readonly skipped: number;
  /** Holdings that failed and are kept for the next run. */
  readonly failed: number;
  /** Holdings earlier runs left pending that this run finished. */
  readonly recovered: number;
}

/** Holdings issueDue checks and enrolls at once when the options do not say. */
export const DEFAULT_ISSUE_CONCURRENCY = 16;
/** The most holdings issueDue checks and enrolls at once. */
export const MAX_ISSUE_CONCURRENCY = 64;
/** Certificates per RecordBatch transaction when the options do not say. */
export const DEFAULT_ISSUE_BATCH_SIZE = 50;
/** RecordBatch transactions issueDue keeps in flight at once. */
const BATCHES_IN_FLIGHT = 4;
/** How long a batch that is not full waits for more certificates. */
const BATCH_LINGER_MS = 200;

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
  /**
   * Certificates issued and recorded in this run, in the order they were
   * recorded (many are issued at once); hand each to its holder. Empty with
   * {@link IssueDueOptions.listLimit}.
   */
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
  /** How many holdings were issued, revoked, skipped, failed and recovered (all of them, whatever listLimit). */
  readonly counts: IssueDueCounts;
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
   * Records up to MAX_CERTIFICATE_BATCH certificates in one transaction
   * (certificates:RecordBatch), the PEMs in the transient map. Each is checked
   * as {@link record} checks one; those the ledger refuses come back in
   * `refused` with record's code and sentence, and nothing of them is
   * written. The whole batch fails, writing nothing, when it is malformed
   * (INVALID_ARGUMENT, BATCH_TOO_LARGE) or names another platform's holder
   * (FORBIDDEN).
   */
  recordBatch(
    items: readonly (CertificateBatchItem & { readonly certificatePem: string })[],
  ): Promise<CertificateBatchResult>;
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

  recordBatch(
    items: readonly (CertificateBatchItem & { readonly certificatePem: string })[],
  ): Promise<CertificateBatchResult> {
    return this.#certificates.submit('RecordBatch', decoders.certificateBatchResult, {
      arguments: [JSON.stringify(items.map(({ assetId, holderId }) => ({ assetId, holderId })))],
      transientData: { [Transient.certificates]: JSON.stringify(items.map((i) => i.certificatePem)) },
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
    const run = new IssueDueRun(
      this.#issueDueSteps(options, store),
      issueDueSettings(options, height),
      await store.load(),
    );
    const feed = await EventFeed.open(this.#context, {
      checkpoint: options.checkpoint,
      startBlock: options.startBlock ?? 0n,
    });
    try {
      await run.run(workFeed(feed, height, options.idleMs ?? DEFAULT_IDLE_MS));
    } finally {
      feed.close();
    }
    await store.save(run.pending());
    return run.report();
  }

  #issueDueSteps(options: IssueDueOptions, store: PendingStore): IssueDueSteps {
    const issuing = issuingOf(options);
    return {
      check: async (due) => (await this.#check(due, false)).reason,
      enroll: async (due) => {
        const issued = await this.#enroll(due.assetId, due.holderId, issuing);
        return { assetId: due.assetId, holderId: due.holderId, ...handedOver(issued) };
      },
      recordBatch: (items) => this.recordBatch(items),
      revokeAtCa: (holding) => this.#followLedgerRevocation(holding),
      savePending: (pending) => store.save(pending),
      onEnrolled: options.onEnrolled,
      onIssued: options.onIssued,
      onProgress: options.onProgress,
    };
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

/** The run's view of the event feed: each event's certificate work, up to the height it started at. */
function workFeed(feed: EventFeed, height: bigint, idleMs: number): WorkFeed {
  return {
    async next() {
      const event = await feed.next(idleMs);
      // Past the height read at the start is the next run's work.
      if (event === undefined || event.blockNumber >= height) {
        return undefined;
      }
      const { blockNumber, transactionId } = event;
      return { blockNumber, transactionId, work: workIn(event) };
    },
    checkpoint: (position) => feed.checkpoint(position),
  };
}

function workIn(event: CrowdLedgerEvent): CertificateWork {
  return { issue: dueHoldingsIn(event), revoke: revokedHoldingsIn(event) };
}

/** The run's settings from the options, checked. */
function issueDueSettings(options: IssueDueOptions, height: bigint): IssueDueSettings {
  return {
    concurrency: wholeOption(
      'concurrency',
      options.concurrency ?? DEFAULT_ISSUE_CONCURRENCY,
      MAX_ISSUE_CONCURRENCY,
    ),
    batchSize: wholeOption('batchSize', options.batchSize ?? DEFAULT_ISSUE_BATCH_SIZE, MAX_CERTIFICATE_BATCH),
    batchesInFlight: BATCHES_IN_FLIGHT,
    lingerMs: BATCH_LINGER_MS,
    listLimit: options.listLimit ?? Number.POSITIVE_INFINITY,
    lastBlock: height > 0n ? height - 1n : undefined,
  };
}

function wholeOption(name: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new CrowdLedgerError(
      ClientErrorCode.invalidOptions,
      `${name} must be a whole number from 1 to ${String(max)}`,
    );
  }
  return value;
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
