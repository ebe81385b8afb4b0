import { type AssetsApi, AssetsClient } from './groups/assets';
import { type AuditApi, AuditClient } from './groups/audit';
import { type CampaignsApi, CampaignsClient } from './groups/campaigns';
import { type CertificatesApi, CertificatesClient } from './groups/certificates';
import { type EventsApi, EventsClient } from './groups/events';
import { type KeysApi, KeysClient } from './groups/keys';
import { type ListingsApi, ListingsClient } from './groups/listings';
import { type OffersApi, OffersClient } from './groups/offers';
import { type TradesApi, TradesClient } from './groups/trades';
import { type UsersApi, UsersClient } from './groups/users';
import { type CrowdLedgerOptions, resolveOptions } from './options';
import type { SubmitStats } from './retry';
import { Session } from './session';

/**
 * A platform's (or a holder's, or compliance's) connection to CrowdLedger:
 * one gRPC connection to one peer, shared by every group.
 */
export interface CrowdLedgerClient extends AsyncDisposable {
  /** The MSP ID of the connected identity. */
  readonly mspId: string;
  /** Users, their personal data and portfolios (R1, R12). */
  readonly users: UsersApi;
  /** Assets, cap tables, platform lists (R2, R14). */
  readonly assets: AssetsApi;
  /** Asset certificates: records, the holder's query, issuing (R3, R4, R6). */
  readonly certificates: CertificatesApi;
  /** Record histories (R14). */
  readonly audit: AuditApi;
  /** The typed chaincode event stream, resumable from a checkpoint. */
  readonly events: EventsApi;
  /** Users' transaction keys: set and status (R7). */
  readonly keys: KeysApi;
  /** Fixed-price listings: create, cancel, expire (one, or every due one), read, browse (R8). */
  readonly listings: ListingsApi;
  /** Buying from listings, pre-trade checks, the trade register (R5, R6, R14). */
  readonly trades: TradesApi;
  /** Private offers from one seller to one buyer. */
  readonly offers: OffersApi;
  /** Crowdfunding campaigns: commit, withdraw, settle (R9). */
  readonly campaigns: CampaignsApi;
  /**
   * The channel's block height on the connected peer: blocks 0…height−1 are
   * committed there. A compliance read "as of now" passes height − 1 to
   * `assets.capTableAt`.
   */
  chainHeight(): Promise<bigint>;
  /**
   * This client's submits so far: how many, how many committed, and the
   * attempts they took (conflicts are retried: attempts − submits of them).
   * Per call, CrowdLedgerOptions.onSubmit reports each as it ends.
   */
  submitStats(): SubmitStats;
  /** Closes event streams, the gateway and the gRPC connection. Idempotent. */
  close(): void;
}

class Client implements CrowdLedgerClient {
  readonly mspId: string;
  readonly users: UsersApi;
  readonly assets: AssetsApi;
  readonly certificates: CertificatesApi;
  readonly audit: AuditApi;
  readonly events: EventsApi;
  readonly keys: KeysApi;
  readonly listings: ListingsApi;
  readonly trades: TradesApi;
  readonly offers: OffersApi;
  readonly campaigns: CampaignsApi;
  readonly #session: Session;

  constructor(session: Session) {
    this.#session = session;
    this.mspId = session.mspId;
    // The groups; a new one is one more line here (see groups/context.ts).
    this.users = new UsersClient(session);
    this.assets = new AssetsClient(session);
    this.audit = new AuditClient(session);
    this.certificates = new CertificatesClient(session, this.users, this.audit);
    this.events = new EventsClient(session);
    this.keys = new KeysClient(session);
    this.listings = new ListingsClient(session);
    this.trades = new TradesClient(session);
    this.offers = new OffersClient(session);
    this.campaigns = new CampaignsClient(session);
  }

  chainHeight(): Promise<bigint> {
    return this.#session.chainHeight();
  }

  submitStats(): SubmitStats {
    return this.#session.submitStats();
  }

  close(): void {
    this.#session.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/** Connects a CrowdLedger client; nothing is dialled until the first call. */
async function connect(options: CrowdLedgerOptions): Promise<CrowdLedgerClient> {
  return new Client(new Session(await resolveOptions(options)));
}

/** The SDK's entry point. */
export const CrowdLedger = {
  /**
   * Connects with a profile and identity name (or credentials), or with
   * explicit settings. Close the client when done (`await using` works).
   */
  connect,
} as const;
