import { createHash } from 'node:crypto';

/**
 * Users and assets are named by a hash of the platform's MSP ID and its own
 * reference, not of the transaction ID: a retried registration then lands on
 * the same key and fails as a duplicate instead of creating a second record.
 * Any client computes them the same way, so they are part of the protocol.
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

/** The ID of the listing (or campaign) the transaction `txId` creates. */
export function listingIdFor(txId: string): string {
  return transactionId('L', txId);
}

/** The ID of the offer the transaction `txId` creates. */
export function offerIdFor(txId: string): string {
  return transactionId('O', txId);
}

/** One trade per transaction; settlement trades add the buyer, unique within a campaign. */
export function tradeIdFor(txId: string, buyerId?: string): string {
  return transactionId('T', txId, buyerId);
}

/** What each kind of ledger ID looks like: one letter and 32 lower-case hex digits. */
export const ID_FORMATS = {
  user: { pattern: /^U[0-9a-f]{32}$/, expected: 'a user ID: U followed by 32 lower-case hex digits' },
  asset: { pattern: /^A[0-9a-f]{32}$/, expected: 'an asset ID: A followed by 32 lower-case hex digits' },
  listing: { pattern: /^L[0-9a-f]{32}$/, expected: 'a listing ID: L followed by 32 lower-case hex digits' },
  offer: { pattern: /^O[0-9a-f]{32}$/, expected: 'an offer ID: O followed by 32 lower-case hex digits' },
  trade: { pattern: /^T[0-9a-f]{32}$/, expected: 'a trade ID: T followed by 32 lower-case hex digits' },
  tradeSource: {
    pattern: /^[LO][0-9a-f]{32}$/,
    expected: 'a listing or offer ID: L or O followed by 32 lower-case hex digits',
  },
} as const;

/** The longest ledger ID: one letter and 32 hex digits. */
export const LEDGER_ID_LENGTH = 33;

/** A platform's own reference for a user or an asset. */
export const REFERENCE_FORMAT = {
  pattern: /^[A-Za-z0-9_.:-]+$/,
  expected: '1 to 64 characters of A-Z, a-z, 0-9, _, ., : or -',
  maxLength: 64,
} as const;

/** An MSP ID such as Platform1MSP. */
export const MSP_ID_FORMAT = {
  pattern: /^[A-Za-z][A-Za-z0-9._-]*$/,
  expected: 'an MSP ID such as Platform1MSP',
  maxLength: 64,
} as const;

/** True for a user ID. */
export function isUserId(value: string): boolean {
  return ID_FORMATS.user.pattern.test(value);
}

/** True for an asset ID. */
export function isAssetId(value: string): boolean {
  return ID_FORMATS.asset.pattern.test(value);
}
