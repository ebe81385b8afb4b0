import { Transient } from '@crowdledger/protocol';
import type { Checkpointer } from '@hyperledger/fabric-gateway';
import {
  type HolderRevocation,
  issueHolderCertificate,
  type RevocationReason,
  revokeHolderCertificate,
  revokeHolderCertificates,
  toPkcs12,
} from '../ca';
import { type CrowdLedgerError, hasErrorCode, toCrowdLedgerError } from '../errors';
import type { ContractInvoker } from '../invoker';
import { type CertificateRecord, type CertificateView, decoders, type User } from '../model';
import type { GroupContext, HolderCredentials } from './context';
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
   * {@link IssuedCertificate.replaced}; publish the CRL afterwards (the
   * registry's `crowdledger network publish-crl`) so the peers refuse the old
   * certificate too.
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
   * its revocation on the ledger and at the CA, with the CRL to publish.
   */
  readonly replaced?: RevokeResult;
  /** Certificate, key and chain as a passphrase-protected PKCS#12 (.p12) file. */
  pkcs12(passphrase: string): Promise<Buffer>;
}

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
   * The CA's side, with the CRL the registry publishes next; its
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
   * before the event is checkpointed: deliver or store it here. If it
   * throws, issueDue stops at that event.
   */
  readonly onIssued?: (certificate: IssuedCertificate) => Promise<void> | void;
}

/** A holding issueDue left alone, and why. */
export interface SkippedHolding extends DueHolding {
  /** Why no certificate was issued for it. */
  readonly reason: SkipReason;
}

/** A holding issueDue could not issue; it stopped there and will retry it on the next run. */
export interface FailedHolding extends DueHolding {
  /** What went wrong, as a CrowdLedgerError whatever was thrown. */
  readonly error: CrowdLedgerError;
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
   * (the holding's other certificates, never its live one). Publish the CRL
   * afterwards (the registry's `crowdledger network publish-crl`) so the
   * peers refuse them as well.
   */
  readonly revoked: readonly RevokedCertificate[];
  /** Holdings the events named that were not issued a certificate, each with its {@link SkipReason}. */
  readonly skipped: readonly SkippedHolding[];
  /** Set when a holding failed; the run stopped at its event, which is not checkpointed. */
  readonly failed?: FailedHolding;
  /** Events read and checkpointed. */
  readonly eventsRead: number;
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
   * holding. With `holder` (certificate and key, PEM or paths), a second
   * connection to the same peer is opened as that certificate for this one
   * read, so a platform can check a certificate it handed out; without it,
   * the client must itself be connected as the holder. CERTIFICATE_INVALID
   * when the certificate is revoked or not the one on record.
   */
  query(holder?: HolderCredentials): Promise<CertificateView>;
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
   * Reads the event feed from the checkpoint to the current block and issues
   * every due certificate of this platform's users; holdings already issued
   * are skipped, so running it again is safe. Certificates the ledger
   * revoked (a seller's last unit sold) are revoked at the CA as well.
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

  async query(holder?: HolderCredentials): Promise<CertificateView> {
    if (holder === undefined) {
      return this.#certificates.evaluate('QueryByCertificate', decoders.certificateView);
    }
    const connection = await this.#context.asHolder(holder);
    try {
      return await connection
        .contract('certificates')
        .evaluate('QueryByCertificate', decoders.certificateView);
    } finally {
      connection.close();
    }
  }

  async issue(assetId: string, userId: string, options: IssueOptions = {}): Promise<IssuedCertificate> {
    const reissue = options.reissue ?? false;
    const { user, reason } = await this.#check({ assetId, holderId: userId }, reissue);
    if (reason !== undefined) {
      throw notIssuable(reason, this.#context.mspId, user, assetId);
    }
    const replaced = reissue ? await this.#revokeForReissue(assetId, userId) : undefined;
    const issued = await this.#issueNow(assetId, userId, options);
    return replaced === undefined ? issued : { ...issued, replaced };
  }

  async issueDue(options: IssueDueOptions): Promise<IssueDueReport> {
    const height = await this.#context.chainHeight();
    const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    const feed = await EventFeed.open(this.#context, {
      checkpoint: options.checkpoint,
      startBlock: options.startBlock ?? 0n,
    });
    const issuing = issuingOf(options);
    const run = new IssueDueRun(
      {
        issueIfDue: (due) => this.#issueIfDue(due, issuing),
        revokeAtCa: (holding) => this.#followLedgerRevocation(holding),
      },
      options.onIssued,
    );
    try {
      for (;;) {
        const event = await feed.next(idleMs);
        // Past the height read at the start is the next run's work.
        if (event === undefined || event.blockNumber >= height || !(await run.handle(workIn(event)))) {
          break;
        }
        await feed.ack();
      }
    } finally {
      feed.close();
    }
    return run.report();
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
    const withPersonal = options.personalAttributes ?? true;
    const extraAttrs = withPersonal ? personalAttributes(await this.#users.personalData(userId)) : undefined;
    const { ca, platform } = await this.#context.assetCa();
    const issued = await issueHolderCertificate(ca, {
      platform,
      assetId,
      holderId: userId,
      ...(extraAttrs === undefined ? {} : { extraAttrs }),
    });
    const { enrollmentId, certificatePem, privateKeyPem, caChainPem } = issued;
    const enrolled: EnrolledCertificate = {
      assetId,
      holderId: userId,
      enrollmentId,
      certificatePem,
      privateKeyPem,
      caChainPem,
      pkcs12: (passphrase) =>
        toPkcs12({ certificatePem, privateKeyPem, caChainPem, passphrase, friendlyName: enrollmentId }),
    };
    await options.onEnrolled?.(enrolled);
    return { ...enrolled, record: await this.record(assetId, userId, certificatePem) };
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
}

/** The bookkeeping of one issueDue run. */
class IssueDueRun {
  readonly #steps: IssueDueSteps;
  readonly #onIssued: IssueDueOptions['onIssued'];
  readonly #issued: IssuedCertificate[] = [];
  readonly #revoked: RevokedCertificate[] = [];
  readonly #skipped: SkippedHolding[] = [];
  #failed: FailedHolding | undefined;
  #events = 0;

  constructor(steps: IssueDueSteps, onIssued: IssueDueOptions['onIssued']) {
    this.#steps = steps;
    this.#onIssued = onIssued;
  }

  /** Does what one event asks for; false when a holding failed and the run must stop. */
  async handle(work: CertificateWork): Promise<boolean> {
    const steps = [
      ...work.revoke.map((holding) => ({ holding, run: () => this.#revokeOne(holding) })),
      ...work.issue.map((holding) => ({ holding, run: () => this.#issueOne(holding) })),
    ];
    for (const step of steps) {
      try {
        await step.run();
      } catch (error) {
        this.#failed = { ...step.holding, error: toCrowdLedgerError(error) };
        return false;
      }
    }
    this.#events += 1;
    return true;
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
    await this.#onIssued?.(outcome);
  }

  report(): IssueDueReport {
    const report = {
      issued: this.#issued,
      revoked: this.#revoked,
      skipped: this.#skipped,
      eventsRead: this.#events,
    };
    return this.#failed === undefined ? report : { ...report, failed: this.#failed };
  }
}

/** What issueDue passes on to each issue: personal attributes (on by default) and the enrolled hook. */
function issuingOf({ personalAttributes = true, onEnrolled }: IssueDueOptions): IssueOptions {
  return onEnrolled === undefined ? { personalAttributes } : { personalAttributes, onEnrolled };
}
