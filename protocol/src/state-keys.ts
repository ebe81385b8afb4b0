/*
 * How the chaincode lays out its world state. The chaincode writes these keys;
 * a client that rebuilds state from the writes in blocks (the cap table at a
 * block) reads them back, so both take the layout from here.
 */

/**
 * Object types of composite keys. Every record lives under one of these, so a
 * range scan over a type never meets another type's records. Index entries
 * (the `…By…` and `open…` types) hold {@link INDEX_ENTRY_VALUE}: the IDs they
 * point at are their key's attributes, never a second copy in the value.
 */
export const KeyPrefix = {
  config: 'config',
  /** (user, userId) → public User. */
  user: 'user',
  /** (personal, userId) → PersonalData, in the user's platform collection only. */
  personal: 'personal',
  /** (asset, assetId) → Asset. */
  asset: 'asset',
  /** (assetByPlatform, mspId, assetId) → index entry: a platform's assets by range scan. */
  assetByPlatform: 'assetByPlatform',
  /** (holding, assetId, userId) → Holding: an asset's cap table by range scan. */
  holding: 'holding',
  /** (holdingByUser, userId, assetId) → index entry: a user's portfolio by range scan. */
  holdingByUser: 'holdingByUser',
  /**
   * (pendingHolding, holder's mspId, assetId, userId) → index entry while a
   * holding awaits its holder's platform (R13): what that platform has to accept.
   */
  pendingHolding: 'pendingHolding',
  /** (certificate, assetId, userId) → CertificateRecord of the holder's current certificate. */
  certificate: 'certificate',
  /** (transactionKey, userId) → TransactionKey: the user's current public key (R7); public, as a public key is. */
  transactionKey: 'transactionKey',
  /** (retiredTransactionKey, userId, keyId) → TransactionKey: a key the user had before, refused since it was replaced. */
  retiredTransactionKey: 'retiredTransactionKey',
  /** (consent, userId, requestId) → index entry: the request ran, so it never runs again (no shared counter). */
  consent: 'consent',
  /** (listing, listingId) → Listing, fixed-price and campaign alike (R8, R9). */
  listing: 'listing',
  /** (openListing, listingId) → index entry while the listing is OPEN: every platform's open listings by range scan. */
  openListing: 'openListing',
  /** (purchase, listingId, buyerId) → Purchase: units a buyer has bought from a listing, for the per-buyer limits. */
  purchase: 'purchase',
  /** (trade, tradeId) → Trade (R5). */
  trade: 'trade',
  /** (tradeByAsset, assetId, tradeId) → index entry: an asset's trades by range scan. */
  tradeByAsset: 'tradeByAsset',
  /** (tradeByUser, userId, tradeId) → index entry, for buyer and seller alike. */
  tradeByUser: 'tradeByUser',
  /** (offer, offerId) → Offer: a private offer from one seller to one buyer. */
  offer: 'offer',
  /**
   * (importBatch, assetId, txId) → ImportBatch: the holders and units one
   * imports:Add wrote; imports:Finish sums them. One record per batch, so
   * batches never write a shared counter.
   */
  importBatch: 'importBatch',
  /** (commitment, listingId, buyerId) → Commitment: an investor's reserved units in a campaign (R9). */
  commitment: 'commitment',
} as const;

/** The object type of a composite key. */
export type KeyPrefixName = (typeof KeyPrefix)[keyof typeof KeyPrefix];

/** Names of the singleton configuration records under the config prefix. */
export const ConfigName = {
  assetCertificateAuthority: 'assetCertificateAuthority',
  /** (config, referenceSecret, mspId) → the fingerprint of a platform's reference secret (R12). */
  referenceSecret: 'referenceSecret',
} as const;

/**
 * The value of every index entry: one NUL. The key says everything; a value
 * is needed only because Fabric writes an empty value as a delete (the peer's
 * write set marks a write without bytes `isDelete`).
 */
export const INDEX_ENTRY_VALUE = '\u0000';

/** Fabric's composite key, as fabric-shim's createCompositeKey builds it: U+0000 before and after every part. */
export function compositeKey(objectType: string, attributes: readonly string[]): string {
  return `\u0000${[objectType, ...attributes].join('\u0000')}\u0000`;
}

/**
 * Time indexes, as simple keys `name SEP part… SEP instant SEP id`. Fabric's
 * range queries (getStateByRange) take simple keys only, and a partial
 * composite key query matches whole attributes, so a composite time index
 * could be read whole but never bounded by time. Ledger instants are fixed
 * width (toISOString), so key order is time order and [from, to) is one
 * bounded scan that the peer pages. Composite keys all begin with U+0000 and
 * these never do, so the two key spaces cannot meet. Their value is
 * {@link INDEX_ENTRY_VALUE}: the ID is the key's last part.
 */
export const TimeIndex = {
  /** (tradeAt, executedAt, tradeId): every trade in time order. */
  tradeAt: 'tradeAt',
  /** (platformTradeAt, mspId, executedAt, tradeId), for seller's and buyer's platform alike. */
  platformTradeAt: 'platformTradeAt',
} as const;

/** The name of a time index. */
export type TimeIndexName = (typeof TimeIndex)[keyof typeof TimeIndex];

/** Below every character of an ID, MSP ID or instant: no part can run into the next. */
const TIME_KEY_SEPARATOR = '\u0001';
/** The separator's successor: the end of everything under one prefix. */
const TIME_KEY_AFTER = '\u0002';

/** A time index entry's key. */
export function timeKey(index: TimeIndexName, parts: readonly string[], at: string, id: string): string {
  return [index, ...parts, at, id].join(TIME_KEY_SEPARATOR);
}

/** The ID a time index entry points at: its key's last part; undefined for a key of another layout. */
export function idOfTimeKey(key: string): string | undefined {
  const parts = key.split(TIME_KEY_SEPARATOR);
  const id = parts.at(-1);
  return parts.length >= 3 && id !== undefined && id !== '' ? id : undefined;
}

/** Start (inclusive) and end (exclusive) simple keys of a range scan. */
export interface KeyRange {
  /** The first key in the range. */
  readonly start: string;
  /** The first key after the range. */
  readonly end: string;
}

/** Keys of entries with `from <= instant < to`; an absent side is open. */
export function timeKeyRange(
  index: TimeIndexName,
  parts: readonly string[],
  range: { readonly from?: string; readonly to?: string },
): KeyRange {
  const prefix = [index, ...parts].join(TIME_KEY_SEPARATOR);
  return {
    start: `${prefix}${TIME_KEY_SEPARATOR}${range.from ?? ''}`,
    end: range.to === undefined ? `${prefix}${TIME_KEY_AFTER}` : `${prefix}${TIME_KEY_SEPARATOR}${range.to}`,
  };
}
