import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

/**
 * Object types of composite keys. Every record lives under one of these, so a
 * range scan over a type never meets another type's records.
 */
export const KeyPrefix = {
  smoke: 'smoke',
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

/** Names of the singleton configuration records under the config prefix. */
export const ConfigName = {
  assetCertificateAuthority: 'assetCertificateAuthority',
} as const;

export function stateKey(stub: Stub, prefix: KeyPrefixName, ...parts: string[]): string {
  return stub.createCompositeKey(prefix, parts);
}
