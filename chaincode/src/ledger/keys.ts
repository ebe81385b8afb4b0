import type { Context } from 'fabric-contract-api';
import type { TimeRange } from '../rules/time-range';

type Stub = Context['stub'];

/**
 * Object types of composite keys. Every record lives under one of these, so a
 * range scan over a type never meets another type's records.
 */
export const KeyPrefix = {
  config: 'config',
  /** (user, userId) → public User. */
  user: 'user',
  /** (personal, userId) → PersonalData, in the user's platform collection only. */
  personal: 'personal',
  /** (asset, assetId) → Asset. */
  asset: 'asset',
  /** (assetByPlatform, mspId, assetId) → AssetRef: a platform's assets by range scan. */
  assetByPlatform: 'assetByPlatform',
  /** (holding, assetId, userId) → Holding: an asset's cap table by range scan. */
  holding: 'holding',
  /** (holdingByUser, userId, assetId) → HoldingRef: a user's portfolio by range scan. */
  holdingByUser: 'holdingByUser',
  /** (certificate, assetId, userId) → CertificateRecord of the holder's current certificate. */
  certificate: 'certificate',
  /** (transactionKey, userId) → TransactionKeyRecord, in the user's platform collection only (R7). */
  transactionKey: 'transactionKey',
  /** (listing, listingId) → Listing, fixed-price and campaign alike (R8, R9). */
  listing: 'listing',
  /** (openListing, listingId) → ListingRef while the listing is OPEN: every platform's open listings by range scan. */
  openListing: 'openListing',
  /** (purchase, listingId, buyerId) → Purchase: units a buyer has bought from a listing, for the per-buyer limits. */
  purchase: 'purchase',
  /** (trade, tradeId) → Trade (R5). */
  trade: 'trade',
  /** (tradeByAsset, assetId, tradeId) → TradeRef: an asset's trades by range scan. */
  tradeByAsset: 'tradeByAsset',
  /** (tradeByUser, userId, tradeId) → TradeRef, for buyer and seller alike. */
  tradeByUser: 'tradeByUser',
  /** (offer, offerId) → Offer: a private offer from one seller to one buyer. */
  offer: 'offer',
  /** (commitment, listingId, buyerId) → Commitment: an investor's reserved units in a campaign (R9). */
  commitment: 'commitment',
} as const;

export type KeyPrefixName = (typeof KeyPrefix)[keyof typeof KeyPrefix];

/**
 * Time indexes, as simple keys `name SEP part… SEP instant SEP id`. Fabric's
 * range queries (getStateByRange) take simple keys only, and a partial
 * composite key query matches whole attributes, so a composite time index
 * could be read whole but never bounded by time. Ledger instants are fixed
 * width (toISOString), so key order is time order and [from, to) is one
 * bounded scan that the peer pages. Composite keys all begin with U+0000 and
 * these never do, so the two key spaces cannot meet.
 */
export const TimeIndex = {
  /** (tradeAt, executedAt, tradeId) → TradeRef: every trade in time order. */
  tradeAt: 'tradeAt',
  /** (platformTradeAt, mspId, executedAt, tradeId) → TradeRef, for seller's and buyer's platform alike. */
  platformTradeAt: 'platformTradeAt',
} as const;

export type TimeIndexName = (typeof TimeIndex)[keyof typeof TimeIndex];

/** Below every character of an ID, MSP ID or instant: no part can run into the next. */
const TIME_KEY_SEPARATOR = '\u0001';
/** The separator's successor: the end of everything under one prefix. */
const TIME_KEY_AFTER = '\u0002';

/** Start (inclusive) and end (exclusive) simple keys of a range scan. */
export interface KeyRange {
  readonly start: string;
  readonly end: string;
}

/** A time index entry's key. */
export function timeKey(index: TimeIndexName, parts: readonly string[], at: string, id: string): string {
  return [index, ...parts, at, id].join(TIME_KEY_SEPARATOR);
}

/** Start (inclusive) and end (exclusive) keys of entries with `from <= instant < to`, open ends allowed. */
export function timeKeyRange(index: TimeIndexName, parts: readonly string[], range: TimeRange): KeyRange {
  const prefix = [index, ...parts].join(TIME_KEY_SEPARATOR);
  return {
    start: `${prefix}${TIME_KEY_SEPARATOR}${range.from ?? ''}`,
    end: range.to === undefined ? `${prefix}${TIME_KEY_AFTER}` : `${prefix}${TIME_KEY_SEPARATOR}${range.to}`,
  };
}

/** Names of the singleton configuration records under the config prefix. */
export const ConfigName = {
  assetCertificateAuthority: 'assetCertificateAuthority',
} as const;

export function stateKey(stub: Stub, prefix: KeyPrefixName, ...parts: string[]): string {
  return stub.createCompositeKey(prefix, parts);
}
