import { createHash, createHmac } from 'node:crypto';

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

/**
 * A platform's reference secret: 32 random bytes, written as 64 lower-case
 * hex digits. The platform keeps it (the network scripts write one per
 * platform, owner-only, and name it in the profile); it reaches the
 * endorsing peers in the transient map only, never a block.
 */
export const REFERENCE_SECRET_FORMAT = {
  pattern: /^[0-9a-f]{64}$/,
  expected: '64 lower-case hex digits (32 random bytes)',
} as const;

/** True for a well-formed reference secret. */
export function isReferenceSecret(value: string): boolean {
  return REFERENCE_SECRET_FORMAT.pattern.test(value);
}

function secretBytes(referenceSecret: string): Buffer {
  // Buffer.from(…, 'hex') stops silently at the first bad digit: a typo
  // must fail here, not name every user differently.
  if (!isReferenceSecret(referenceSecret)) {
    throw new TypeError(`a reference secret must be ${REFERENCE_SECRET_FORMAT.expected}`);
  }
  return Buffer.from(referenceSecret, 'hex');
}

/**
 * What stands for a user's platform reference in public (R12): HMAC-SHA256
 * of the reference's UTF-8 under the platform's secret, lower-case hex. A
 * platform's references are often guessable (customer numbers, names in
 * pinyin); unkeyed, sha256(mspId, ref) would let anyone test guesses against
 * the user IDs on the ledger. Keyed, only the platform (and the endorsers
 * that saw the secret) can.
 */
export function referenceDigest(referenceSecret: string, platformRef: string): string {
  return createHmac('sha256', secretBytes(referenceSecret)).update(platformRef, 'utf8').digest('hex');
}

/**
 * "U" + the first 32 hex digits of sha256(mspId + "\n" +
 * referenceDigest(referenceSecret, platformRef)). Still a function of the
 * platform and its reference, so a retried registration is USER_EXISTS.
 */
export function userIdFor(mspId: string, referenceSecret: string, platformRef: string): string {
  return derivedId('U', mspId, referenceDigest(referenceSecret, platformRef));
}

/**
 * The public fingerprint of a platform's reference secret:
 * sha256("crowdledger reference secret\n" ‖ the secret's 32 bytes),
 * lower-case hex. The ledger keeps it from the platform's first
 * registration, so a platform that lost or replaced its secret is refused
 * instead of silently giving its users second IDs. Safe to publish: the
 * secret is 32 random bytes, not something a guess can find.
 */
export function referenceSecretFingerprint(referenceSecret: string): string {
  return createHash('sha256')
    .update('crowdledger reference secret\n', 'utf8')
    .update(secretBytes(referenceSecret))
    .digest('hex');
}

/**
 * "A" + the first 32 hex digits of sha256(mspId + "\n" + assetRef). Unkeyed:
 * an asset reference is a product code (a fund's or an issue's number), not
 * personal data, and any platform may compute another's asset IDs. Never put
 * a person's name or number into one: it travels as a transaction argument.
 */
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
