import type { CapTable, CapTableHolder } from '../blocks/cap-table';
import { type BlockReadOptions, readCapTableAt } from '../blocks/read';
import { assetIdFor } from '@crowdledger/protocol';
import type { ContractInvoker } from '../invoker';
import {
  type Asset,
  type AssetAttributes,
  type AssetRights,
  type CapTableEntry,
  decoders,
  type Holding,
  type Page,
} from '../model';
import type { GroupContext } from './context';
import { allPages, eachPageAhead } from './trading';

/** An asset to register (R2). */
export interface AssetInput {
  /**
   * The platform's own reference: 1 to 64 of A-Z a-z 0-9 _ . : -. A product
   * code, public: it travels as a transaction argument, so never a person's name or number.
   */
  readonly assetRef: string;
  /** What the asset is: name, category, description, currency, documents. */
  readonly attributes: AssetAttributes;
  /** What its units entitle holders to: voting, dividends, further terms. */
  readonly rights: AssetRights;
  /** A whole number; the holders' units must add up to it. */
  readonly totalUnits: number;
  /** Every initial holder (registered users of any platform) and their units. */
  readonly holders: readonly { readonly userId: string; readonly units: number }[];
}

/** Which page to read. */
export interface PageRequest {
  /** 1 to 500; 100 when absent. */
  readonly pageSize?: number;
  /** The previous page's bookmark; the first page when absent or empty. */
  readonly bookmark?: string;
}

/** Assets, their cap tables and the platforms' asset lists. */
export interface AssetsApi {
  /**
   * Registers an asset and its initial holders. This platform's own users
   * are due a certificate (R3); another platform's users hold PENDING until
   * their platform accepts (acceptHolding) or declines (R13). Every unit
   * counts in the total from the start.
   */
  register(asset: AssetInput): Promise<Asset>;
  /**
   * Accepts a holding another platform granted this platform's user (R13):
   * the holding becomes DUE a certificate and tradable. FORBIDDEN for a
   * holder of another platform; HOLDING_NOT_PENDING when it is not pending.
   */
  acceptHolding(assetId: string, userId: string): Promise<Holding>;
  /**
   * Declines a holding granted to this platform's user: its units leave the
   * asset, whose total shrinks by them; returns the asset after. LAST_HOLDING
   * for an asset's only holding (it stays pending); FORBIDDEN and
   * HOLDING_NOT_PENDING as for acceptHolding.
   */
  declineHolding(assetId: string, userId: string): Promise<Asset>;
  /**
   * One page of the holdings waiting for a platform's acceptance (this
   * client's platform when `mspId` is absent), in asset and holder ID order.
   */
  pendingHoldings(mspId?: string, page?: PageRequest): Promise<Page<Holding>>;
  /** Every holding waiting for a platform's acceptance (this client's platform when `mspId` is absent), walking all pages. */
  allPendingHoldings(mspId?: string, pageSize?: number): AsyncIterable<Holding>;
  /** The asset ID the ledger assigns (or assigned) to this platform's reference; computed locally. */
  idFor(assetRef: string): string;
  /** An asset; ASSET_NOT_FOUND when there is none. */
  get(assetId: string): Promise<Asset>;
  /** One page of the asset's cap table, in holder ID order; pending holdings show certificate PENDING. */
  holders(assetId: string, page?: PageRequest): Promise<Page<Holding>>;
  /** Every holding of the asset, walking all pages. */
  allHolders(assetId: string, pageSize?: number): AsyncIterable<Holding>;
  /**
   * One page of the asset's cap table, in holder ID order: each holding
   * with the ledger's record of its holder's certificate when one was
   * recorded, read by the chaincode in the same page (pages of up to 1,000).
   */
  capTablePage(assetId: string, page?: PageRequest): Promise<Page<CapTableEntry>>;
  /**
   * Every line of the asset's cap table, page by page ({@link capTablePage},
   * 1,000 a page by default), the next page read while the caller handles
   * this one: memory stays at two pages however many holders there are.
   */
  allCapTable(assetId: string, pageSize?: number): AsyncIterable<CapTableEntry>;
  /**
   * The asset's cap table now, whole in memory: every holding, with the
   * ledger's record of each holder's certificate (serial and status) when
   * one was recorded. For large registers, stream {@link allCapTable} instead.
   */
  capTable(assetId: string): Promise<CurrentCapTable>;
  /**
   * The asset's cap table as it stood when block `blockNumber` had
   * committed: holdings and certificate records rebuilt from the writes of
   * every valid transaction in blocks 0…blockNumber, streamed from the
   * connected peer (the chaincode cannot see block numbers). Reads the whole
   * chain up to the block, so it takes time on a long chain: `onProgress`
   * reports each block. BLOCK_OUT_OF_RANGE past the newest block;
   * ASSET_NOT_FOUND when the asset was registered later (or never).
   */
  capTableAt(assetId: string, blockNumber: bigint | number, options?: BlockReadOptions): Promise<CapTable>;
  /** One page of a platform's assets (this client's platform when `mspId` is absent). */
  listByPlatform(mspId?: string, page?: PageRequest): Promise<Page<Asset>>;
}

/** An asset's cap table as the ledger's current state has it. */
export type CurrentCapTable = Omit<CapTable, 'blockNumber'>;

const DEFAULT_PAGE_SIZE = 100;
/** The chaincode's largest cap table page. */
export const CAP_TABLE_PAGE_SIZE = 1000;

function pageArguments(page: PageRequest): string[] {
  return [String(page.pageSize ?? DEFAULT_PAGE_SIZE), page.bookmark ?? ''];
}

/** The {@link AssetsApi} over the `assets` contract and the channel's blocks. */
export class AssetsClient implements AssetsApi {
  readonly #context: GroupContext;
  readonly #assets: ContractInvoker<'assets'>;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#assets = context.contract('assets');
  }

  register(asset: AssetInput): Promise<Asset> {
    const input = {
      assetRef: asset.assetRef,
      attributes: asset.attributes,
      rights: asset.rights,
      totalUnits: asset.totalUnits,
      holders: asset.holders.map((h) => ({ userId: h.userId, units: h.units })),
    };
    return this.#assets.submit('Register', decoders.asset, { arguments: [JSON.stringify(input)] });
  }

  idFor(assetRef: string): string {
    return assetIdFor(this.#context.mspId, assetRef);
  }

  acceptHolding(assetId: string, userId: string): Promise<Holding> {
    return this.#assets.submit('AcceptHolding', decoders.holding, { arguments: [assetId, userId] });
  }

  declineHolding(assetId: string, userId: string): Promise<Asset> {
    return this.#assets.submit('DeclineHolding', decoders.asset, { arguments: [assetId, userId] });
  }

  pendingHoldings(mspId: string = this.#context.mspId, page: PageRequest = {}): Promise<Page<Holding>> {
    return this.#assets.evaluate('PendingHoldings', decoders.holdingPage, [mspId, ...pageArguments(page)]);
  }

  allPendingHoldings(
    mspId: string = this.#context.mspId,
    pageSize = DEFAULT_PAGE_SIZE,
  ): AsyncGenerator<Holding> {
    return allPages((page) => this.pendingHoldings(mspId, page), pageSize);
  }

  get(assetId: string): Promise<Asset> {
    return this.#assets.evaluate('Get', decoders.asset, [assetId]);
  }

  holders(assetId: string, page: PageRequest = {}): Promise<Page<Holding>> {
    return this.#assets.evaluate('Holders', decoders.holdingPage, [assetId, ...pageArguments(page)]);
  }

  allHolders(assetId: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<Holding> {
    return allPages((page) => this.holders(assetId, page), pageSize);
  }

  capTablePage(assetId: string, page: PageRequest = {}): Promise<Page<CapTableEntry>> {
    return this.#assets.evaluate('CapTable', decoders.capTablePage, [assetId, ...pageArguments(page)]);
  }

  async *allCapTable(assetId: string, pageSize = CAP_TABLE_PAGE_SIZE): AsyncGenerator<CapTableEntry> {
    for await (const page of eachPageAhead((p) => this.capTablePage(assetId, p), pageSize)) {
      yield* page.records;
    }
  }

  async capTable(assetId: string): Promise<CurrentCapTable> {
    const asset = await this.get(assetId);
    const holders: CapTableHolder[] = [];
    for await (const entry of this.allCapTable(assetId)) {
      holders.push(entry);
    }
    return { asset, holders };
  }

  capTableAt(
    assetId: string,
    blockNumber: bigint | number,
    options: BlockReadOptions = {},
  ): Promise<CapTable> {
    return readCapTableAt(this.#context, assetId, blockNumber, options);
  }

  listByPlatform(mspId: string = this.#context.mspId, page: PageRequest = {}): Promise<Page<Asset>> {
    return this.#assets.evaluate('ListByPlatform', decoders.assetPage, [mspId, ...pageArguments(page)]);
  }
}
