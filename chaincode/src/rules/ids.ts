import { createHash } from 'node:crypto';
import { requireText } from './guards';

/**
 * IDs are hashes of the platform's MSP ID and its own reference, not of the
 * transaction ID: a retried registration then lands on the same key and fails
 * as a duplicate instead of creating a second record. Any client can compute
 * them the same way, so these functions are part of the public contract.
 */
function derivedId(kind: 'U' | 'A', mspId: string, reference: string): string {
  const digest = createHash('sha256').update(`${mspId}\n${reference}`, 'utf8').digest('hex');
  return `${kind}${digest.slice(0, 32)}`;
}

/** "U" + the first 32 hex digits of sha256(mspId + "\n" + platformRef). */
export function userIdFor(mspId: string, platformRef: string): string {
  return derivedId('U', mspId, platformRef);
}

/** "A" + the first 32 hex digits of sha256(mspId + "\n" + assetRef). */
export function assetIdFor(mspId: string, assetRef: string): string {
  return derivedId('A', mspId, assetRef);
}

/**
 * Listings, offers and trades have no platform reference to hash: they are
 * named after the transaction that made them, which every endorser sees the
 * same. "L", "O" or "T" + the first 32 hex digits of sha256(txId), or for the
 * several trades one campaign settlement makes, of sha256(txId + "\n" + buyerId).
 */
function transactionId(kind: 'L' | 'O' | 'T', txId: string, discriminator?: string): string {
  const input = discriminator === undefined ? txId : `${txId}\n${discriminator}`;
  return `${kind}${createHash('sha256').update(input, 'utf8').digest('hex').slice(0, 32)}`;
}

export function listingIdFor(txId: string): string {
  return transactionId('L', txId);
}

export function offerIdFor(txId: string): string {
  return transactionId('O', txId);
}

/** One trade per transaction; settlement trades add the buyer, unique within a campaign. */
export function tradeIdFor(txId: string, buyerId?: string): string {
  return transactionId('T', txId, buyerId);
}

const USER_ID = /^U[0-9a-f]{32}$/;
const LISTING_ID = /^L[0-9a-f]{32}$/;
const OFFER_ID = /^O[0-9a-f]{32}$/;
const TRADE_ID = /^T[0-9a-f]{32}$/;
const ASSET_ID = /^A[0-9a-f]{32}$/;
const REFERENCE = /^[A-Za-z0-9_.:-]+$/;
const MSP_ID = /^[A-Za-z][A-Za-z0-9._-]*$/;

export function isUserId(value: string): boolean {
  return USER_ID.test(value);
}

export function isAssetId(value: string): boolean {
  return ASSET_ID.test(value);
}

// Every ledger ID is one letter and 32 lower-case hex digits; only the letter
// and the noun in the sentence differ.
function ledgerIdGuard(pattern: RegExp, expected: string, defaultName: string) {
  return (value: unknown, name = defaultName): string =>
    requireText(value, name, { expected, pattern, maxLength: 33 });
}

export const requireUserId = ledgerIdGuard(
  USER_ID,
  'a user ID: U followed by 32 lower-case hex digits',
  'userId',
);
export const requireAssetId = ledgerIdGuard(
  ASSET_ID,
  'an asset ID: A followed by 32 lower-case hex digits',
  'assetId',
);
export const requireListingId = ledgerIdGuard(
  LISTING_ID,
  'a listing ID: L followed by 32 lower-case hex digits',
  'listingId',
);
export const requireOfferId = ledgerIdGuard(
  OFFER_ID,
  'an offer ID: O followed by 32 lower-case hex digits',
  'offerId',
);
export const requireTradeId = ledgerIdGuard(
  TRADE_ID,
  'a trade ID: T followed by 32 lower-case hex digits',
  'tradeId',
);

/** A listing or an offer: what a trade executed against. */
export function requireTradeSource(value: unknown, name: string): string {
  return requireText(value, name, {
    expected: 'a listing or offer ID: L or O followed by 32 lower-case hex digits',
    pattern: /^[LO][0-9a-f]{32}$/,
    maxLength: 33,
  });
}

/** A platform's own reference for a user or asset. */
export function requireReference(value: unknown, name: string): string {
  return requireText(value, name, {
    expected: '1 to 64 characters of A-Z, a-z, 0-9, _, ., : or -',
    pattern: REFERENCE,
    maxLength: 64,
  });
}

export function requireMspId(value: unknown, name = 'mspId'): string {
  return requireText(value, name, {
    expected: 'an MSP ID such as Platform1MSP',
    pattern: MSP_ID,
    maxLength: 64,
  });
}
