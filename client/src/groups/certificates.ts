import type { Checkpointer } from '@hyperledger/fabric-gateway';
import { issueHolderCertificate, toPkcs12 } from '../ca';
import { type CrowdLedgerError, toCrowdLedgerError } from '../errors';
import type { ContractInvoker } from '../invoker';
import { type CertificateRecord, type CertificateView, decoders, type User } from '../model';
import type { GroupContext } from './context';
import { EventFeed } from './events';
import {
  type DueHolding,
  dueHoldingsIn,
  notIssuable,
  personalAttributes,
  type SkipReason,
  skipReason,
} from './issuance';
import type { UsersApi } from './users';

/** How a certificate is issued. */
export interface IssueOptions {
  /**
   * Also write the holder's name (`crowdledger.name`) and masked ID number
   * (`crowdledger.idmask`) into the certificate (R3). Off by default: the
   * platforms' registrars on the asset CA may set only `crowdledger.asset`
   * and `crowdledger.holder` (hf.Registrar.Attributes in network/lib/ca.sh),
   * so Fabric CA refuses these (CA_REFUSED, code 71) until that scope is
   * widened — a network change still pending. Personal data in a
   * certificate also reaches whoever the holder shows it to.
   */
  readonly personalAttributes?: boolean;
  /** Issue even though a certificate is on record: replaces one whose key was lost. */
  readonly reissue?: boolean;
}

/** A certificate issued to a holder and recorded on the ledger. Hand it to the holder; keep no copy of the key. */
export interface IssuedCertificate {
  readonly assetId: string;
  readonly holderId: string;
  /** The holding's enrollment ID on the asset CA. */
  readonly enrollmentId: string;
  readonly certificatePem: string;
  /** Unencrypted PKCS#8 PEM of the holder's new key. */
  readonly privateKeyPem: string;
  /** The asset CA's chain. */
  readonly caChainPem: string;
  /** What the ledger recorded. */
  readonly record: CertificateRecord;
  /** Certificate, key and chain as a passphrase-protected PKCS#12 (.p12) file. */
  pkcs12(passphrase: string): Promise<Buffer>;
}

/** Options of {@link CertificatesApi.issueDue}. */
export interface IssueDueOptions {
  /** Where issueDue keeps its place in the event feed: a file path or a Checkpointer. */
  readonly checkpoint: string | Checkpointer;
  /** The first block to read when the checkpoint is new; 0 (all history) when absent. */
  readonly startBlock?: bigint;
  /** How long a quiet feed is taken to mean "caught up"; 2000 ms when absent. */
  readonly idleMs?: number;
  readonly personalAttributes?: boolean;
  /**
   * Called with each certificate as soon as it is issued and recorded,
   * before the event is checkpointed: deliver or store it here. If it
   * throws, issueDue stops at that event.
   */
  readonly onIssued?: (certificate: IssuedCertificate) => Promise<void> | void;
}

/** A holding issueDue left alone, and why. */
export interface SkippedHolding extends DueHolding {
  readonly reason: SkipReason;
}

/** A holding issueDue could not issue; it stopped there and will retry it on the next run. */
export interface FailedHolding extends DueHolding {
  readonly error: CrowdLedgerError;
}

/** What one issueDue run did. */
export interface IssueDueReport {
  readonly issued: readonly IssuedCertificate[];
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
  /** Marks the holder's certificate revoked on the ledger (revoking at the CA is separate). */
  revoke(assetId: string, holderId: string, reason: string): Promise<CertificateRecord>;
  /** The record of a holding's current certificate; NOT_FOUND when none was recorded. */
  get(assetId: string, holderId: string): Promise<CertificateRecord>;
  /**
   * R4, for a client connected AS a holder (with their asset certificate):
   * their asset and own holding. CERTIFICATE_INVALID when the certificate is
   * revoked or not the one on record.
   */
  query(): Promise<CertificateView>;
  /**
   * Issues a certificate to one of this platform's users for an asset they
   * hold, when one is due (DUE, or REVOKED and holding units again), through
   * the asset CA, and records it on the ledger. NOT_OWN_USER, NOT_HOLDER or
   * CERTIFICATE_NOT_DUE otherwise, before the CA is asked.
   */
  issue(assetId: string, userId: string, options?: IssueOptions): Promise<IssuedCertificate>;
  /**
   * Reads the event feed from the checkpoint to the current block and issues
   * every due certificate of this platform's users; holdings already issued
   * are skipped, so running it again is safe.
   */
  issueDue(options: IssueDueOptions): Promise<IssueDueReport>;
}

const DEFAULT_IDLE_MS = 2_000;

export class CertificatesClient implements CertificatesApi {
  readonly #context: GroupContext;
  readonly #certificates: ContractInvoker;
  readonly #users: UsersApi;

  constructor(context: GroupContext, users: UsersApi) {
    this.#context = context;
    this.#certificates = context.contract('certificates');
    this.#users = users;
  }

  record(assetId: string, holderId: string, certificatePem: string): Promise<CertificateRecord> {
    return this.#certificates.submit('Record', decoders.certificateRecord, {
      arguments: [assetId, holderId],
      transientData: { certificate: certificatePem },
    });
  }

  revoke(assetId: string, holderId: string, reason: string): Promise<CertificateRecord> {
    return this.#certificates.submit('Revoke', decoders.certificateRecord, {
      arguments: [assetId, holderId, reason],
    });
  }

  get(assetId: string, holderId: string): Promise<CertificateRecord> {
    return this.#certificates.evaluate('Get', decoders.certificateRecord, [assetId, holderId]);
  }

  query(): Promise<CertificateView> {
    return this.#certificates.evaluate('QueryByCertificate', decoders.certificateView);
  }

  async issue(assetId: string, userId: string, options: IssueOptions = {}): Promise<IssuedCertificate> {
    const { user, reason } = await this.#check({ assetId, holderId: userId }, options.reissue ?? false);
    if (reason !== undefined) {
      throw notIssuable(reason, this.#context.mspId, user, assetId);
    }
    return this.#issueNow(assetId, userId, options.personalAttributes ?? false);
  }

  async issueDue(options: IssueDueOptions): Promise<IssueDueReport> {
    const height = await this.#context.chainHeight();
    const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    const feed = await EventFeed.open(this.#context, {
      checkpoint: options.checkpoint,
      startBlock: options.startBlock ?? 0n,
    });
    const withPersonal = options.personalAttributes ?? false;
    const run = new IssueDueRun((due) => this.#issueIfDue(due, withPersonal), options.onIssued);
    try {
      for (;;) {
        const event = await feed.next(idleMs);
        // Past the height read at the start is the next run's work.
        if (event === undefined || event.blockNumber >= height || !(await run.handle(dueHoldingsIn(event)))) {
          break;
        }
        await feed.ack();
      }
    } finally {
      feed.close();
    }
    return run.report();
  }

  async #issueIfDue(due: DueHolding, withPersonal: boolean): Promise<IssuedCertificate | SkipReason> {
    const { reason } = await this.#check(due, false);
    return reason ?? this.#issueNow(due.assetId, due.holderId, withPersonal);
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

  async #issueNow(assetId: string, userId: string, withPersonal: boolean): Promise<IssuedCertificate> {
    const extraAttrs = withPersonal ? personalAttributes(await this.#users.personalData(userId)) : undefined;
    const { ca, platform } = await this.#context.assetCa();
    const issued = await issueHolderCertificate(ca, {
      platform,
      assetId,
      holderId: userId,
      ...(extraAttrs === undefined ? {} : { extraAttrs }),
    });
    const record = await this.record(assetId, userId, issued.certificatePem);
    const { enrollmentId, certificatePem, privateKeyPem, caChainPem } = issued;
    return {
      assetId,
      holderId: userId,
      enrollmentId,
      certificatePem,
      privateKeyPem,
      caChainPem,
      record,
      pkcs12: (passphrase) =>
        toPkcs12({ certificatePem, privateKeyPem, caChainPem, passphrase, friendlyName: enrollmentId }),
    };
  }
}

type IssueIfDue = (due: DueHolding) => Promise<IssuedCertificate | SkipReason>;

/** The bookkeeping of one issueDue run. */
class IssueDueRun {
  readonly #issueIfDue: IssueIfDue;
  readonly #onIssued: IssueDueOptions['onIssued'];
  readonly #issued: IssuedCertificate[] = [];
  readonly #skipped: SkippedHolding[] = [];
  #failed: FailedHolding | undefined;
  #events = 0;

  constructor(issueIfDue: IssueIfDue, onIssued: IssueDueOptions['onIssued']) {
    this.#issueIfDue = issueIfDue;
    this.#onIssued = onIssued;
  }

  /** Issues what one event made due; false when a holding failed and the run must stop. */
  async handle(due: readonly DueHolding[]): Promise<boolean> {
    for (const holding of due) {
      try {
        await this.#one(holding);
      } catch (error) {
        this.#failed = { ...holding, error: toCrowdLedgerError(error) };
        return false;
      }
    }
    this.#events += 1;
    return true;
  }

  async #one(holding: DueHolding): Promise<void> {
    const outcome = await this.#issueIfDue(holding);
    if (typeof outcome === 'string') {
      this.#skipped.push({ ...holding, reason: outcome });
      return;
    }
    this.#issued.push(outcome);
    await this.#onIssued?.(outcome);
  }

  report(): IssueDueReport {
    const report = { issued: this.#issued, skipped: this.#skipped, eventsRead: this.#events };
    return this.#failed === undefined ? report : { ...report, failed: this.#failed };
  }
}
