import type { ConsentOptions } from '../consent';
import type { ContractInvoker } from '../invoker';
import { type CheckResult, decoders, type Page, type Trade, type TradeResult } from '../model';
import type { PageRequest } from './assets';
import type { GroupContext } from './context';
import { type Instant, isoInstant, pageArguments, submitSigned } from './trading';

/** The options of a purchase: the buyer's signer, and the price they agreed to. */
export interface BuyOptions extends ConsentOptions {
  /**
   * Fen per unit, as shown to the buyer; it is signed, and the chaincode
   * refuses it unless it is the listing's (CONSENT_TERMS_MISMATCH). Read
   * from the listing (one evaluate) when absent.
   */
  readonly pricePerUnit?: number;
}

/**
 * A time range of trades by `executedAt`: `from` included, `to` excluded,
 * either open when absent. Strings are ISO-8601 instants with a zone and at
 * most millisecond precision (`2025-01-31T08:00:00Z`, `…+08:00`); the
 * chaincode refuses anything else with TIME_RANGE_INVALID.
 */
export interface TimeRange {
  /** Start of the range, included; no lower bound when absent. */
  readonly from?: Instant;
  /** End of the range, excluded; no upper bound when absent. */
  readonly to?: Instant;
}

/**
 * The ISO-8601 interval `from/to` the chaincode reads, an empty side for an
 * open end. A Date is written in the ledger's form (an invalid one throws
 * INVALID_ARGUMENT); text goes as given, and the chaincode reads it.
 */
export function intervalArgument(range: TimeRange): string {
  const side = (instant: Instant | undefined, name: string): string => {
    if (instant === undefined) {
      return '';
    }
    return typeof instant === 'string' ? instant : isoInstant(instant, name);
  };
  return `${side(range.from, 'from')}/${side(range.to, 'to')}`;
}

/** Buying from listings (R5, R6), the pre-trade check, and the trade register (R14). */
export interface TradesApi {
  /**
   * Buys units from an open listing for one of this platform's users, with
   * the buyer's signature over {listingId, units, pricePerUnit}. A refused
   * signature (CONSENT_SIGNATURE_INVALID, CONSENT_KEY_RETIRED,
   * CONSENT_EXPIRED, CONSENT_REPLAYED…) is thrown, and nothing was written.
   * When `buyerCertificateDue`, issue the buyer a certificate (certificates.issue or issueDue).
   */
  buy(listingId: string, buyerId: string, units: number, options: BuyOptions): Promise<TradeResult>;
  /** Whether buy would succeed now: every check but the signature (that the buyer has a key is checked). */
  canBuy(listingId: string, buyerId: string, units: number): Promise<CheckResult>;
  /** A trade; NOT_FOUND when there is none. */
  get(tradeId: string): Promise<Trade>;
  /** One page of an asset's trades, in trade ID order. */
  byAsset(assetId: string, page?: PageRequest): Promise<Page<Trade>>;
  /** One page of a user's trades as buyer or seller, in trade ID order. */
  byUser(userId: string, page?: PageRequest): Promise<Page<Trade>>;
  /**
   * One page of the trades in which a platform's users sold or bought
   * (`mspId` such as `Platform2MSP`), within the range, in time order. A
   * platform with no trades has an empty register.
   */
  byPlatform(mspId: string, range?: TimeRange, page?: PageRequest): Promise<Page<Trade>>;
  /** One page of every trade executed within the range, in time order. */
  byTime(range: TimeRange, page?: PageRequest): Promise<Page<Trade>>;
}

/** The {@link TradesApi} over the `trades` contract. */
export class TradesClient implements TradesApi {
  readonly #trades: ContractInvoker<'trades'>;
  readonly #listings: ContractInvoker<'listings'>;
  readonly #context: GroupContext;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#trades = context.contract('trades');
    this.#listings = context.contract('listings');
  }

  async buy(listingId: string, buyerId: string, units: number, options: BuyOptions): Promise<TradeResult> {
    const pricePerUnit =
      options.pricePerUnit ??
      (await this.#listings.evaluate('Get', decoders.listing, [listingId])).pricePerUnit;
    const params = { listingId, units, pricePerUnit };
    const call = { action: 'trades:Buy', userId: buyerId, params, options } as const;
    return submitSigned(this.#trades, decoders.tradeResult, call, this.#context.consent);
  }

  canBuy(listingId: string, buyerId: string, units: number): Promise<CheckResult> {
    return this.#trades.evaluate('CanBuy', decoders.checkResult, [listingId, buyerId, String(units)]);
  }

  get(tradeId: string): Promise<Trade> {
    return this.#trades.evaluate('Get', decoders.trade, [tradeId]);
  }

  byAsset(assetId: string, page: PageRequest = {}): Promise<Page<Trade>> {
    return this.#trades.evaluate('ByAsset', decoders.tradePage, [assetId, ...pageArguments(page)]);
  }

  byUser(userId: string, page: PageRequest = {}): Promise<Page<Trade>> {
    return this.#trades.evaluate('ByUser', decoders.tradePage, [userId, ...pageArguments(page)]);
  }

  byPlatform(mspId: string, range: TimeRange = {}, page: PageRequest = {}): Promise<Page<Trade>> {
    const args = [mspId, intervalArgument(range), ...pageArguments(page)];
    return this.#trades.evaluate('ByPlatform', decoders.tradePage, args);
  }

  byTime(range: TimeRange, page: PageRequest = {}): Promise<Page<Trade>> {
    return this.#trades.evaluate('ByTime', decoders.tradePage, [
      intervalArgument(range),
      ...pageArguments(page),
    ]);
  }
}
