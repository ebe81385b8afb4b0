import { common } from '@hyperledger/fabric-protos';
import type { Network } from '@hyperledger/fabric-gateway';
import { ClientErrorCode, CrowdLedgerError, toCrowdLedgerError } from './errors';
import { type AssetsApi, AssetsClient } from './groups/assets';
import { type AuditApi, AuditClient } from './groups/audit';
import { type CampaignsApi, CampaignsClient } from './groups/campaigns';
import { type CertificatesApi, CertificatesClient } from './groups/certificates';
import type {
  AssetCaAccess,
  Closeable,
  ContractName,
  GroupContext,
  HolderConnection,
  HolderCredentials,
} from './groups/context';
import { type EventsApi, EventsClient } from './groups/events';
import { type KeysApi, KeysClient } from './groups/keys';
import { type ListingsApi, ListingsClient } from './groups/listings';
import { type OffersApi, OffersClient } from './groups/offers';
import { type TradesApi, TradesClient } from './groups/trades';
import { type UsersApi, UsersClient } from './groups/users';
import { ContractInvoker } from './invoker';
import { credentials, type CrowdLedgerOptions, type ResolvedOptions, resolveOptions } from './options';

/** Holders' asset certificates belong to the registry's MSP, which trusts the asset CA (DESIGN §2). */
const DEFAULT_HOLDER_MSP = 'RegistryMSP';
import { closeGateway, type OpenGateway, openGateway } from './session';

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
  /** Closes event streams, the gateway and the gRPC connection. Idempotent. */
  close(): void;
}

/** What the groups share: the one gateway connection, its resources, the asset CA. */
class Session implements GroupContext {
  readonly mspId: string;
  readonly chaincode: string;
  readonly network: Network;
  readonly #options: ResolvedOptions;
  readonly #open: OpenGateway;
  readonly #resources = new Set<Closeable>();
  #assetCa: Promise<AssetCaAccess> | undefined;
  #closed = false;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.mspId = options.identity.mspId;
    this.chaincode = options.chaincode;
    this.#open = openGateway(options.peer, options.identity);
    this.network = this.#open.gateway.getNetwork(options.channel);
  }

  contract(name: ContractName): ContractInvoker {
    return new ContractInvoker(this.network.getContract(this.chaincode, name), {
      retry: this.#options.retry,
      checkOpen: () => {
        this.#checkOpen();
      },
    });
  }

  async chainHeight(): Promise<bigint> {
    this.#checkOpen();
    let bytes: Uint8Array;
    try {
      bytes = await this.network.getContract('qscc').evaluate('GetChainInfo', {
        arguments: [this.network.getName()],
      });
    } catch (error) {
      throw toCrowdLedgerError(error, 'evaluate');
    }
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
  }

  track(resource: Closeable): () => void {
    if (this.#closed) {
      resource.close();
      return () => undefined;
    }
    this.#resources.add(resource);
    return () => this.#resources.delete(resource);
  }

  assetCa(): Promise<AssetCaAccess> {
    const open = this.#options.assetCa;
    if (open === undefined) {
      return Promise.reject(
        new CrowdLedgerError(
          ClientErrorCode.invalidOptions,
          'no asset CA: connect with a platform profile (it names assetCa), or give assetCa and org, or certificateAuthority and org',
        ),
      );
    }
    // Opened once; a failed opening is tried again on the next call.
    this.#assetCa ??= open().catch((error: unknown) => {
      this.#assetCa = undefined;
      throw error;
    });
    return this.#assetCa;
  }

  async asHolder(holder: HolderCredentials): Promise<HolderConnection> {
    this.#checkOpen();
    const identity = await credentials({ ...holder, mspId: holder.mspId ?? DEFAULT_HOLDER_MSP });
    return new Session({ ...this.#options, identity });
  }

  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const resource of [...this.#resources]) {
      resource.close();
    }
    closeGateway(this.#open);
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new CrowdLedgerError(ClientErrorCode.closed, 'this CrowdLedger client is closed');
    }
  }
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
