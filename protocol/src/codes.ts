/**
 * Every failure a caller can cause ends in one of these codes. The chaincode
 * fails with "CODE: sentence", because that string is all that survives the
 * trip through the peer; the client parses the code back out of it and turns
 * it into a typed error. Adding a code here adds it on both sides.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'TRANSIENT_MISSING',
  'FORBIDDEN',
  /** A certificate is malformed, from the wrong issuer, names the wrong holding, or is not current. */
  'CERTIFICATE_INVALID',
  /** A certificate revoked on the ledger: revoking it again, or a holder's query with it. */
  'CERTIFICATE_REVOKED',
  'CORRUPT_STATE',
  'UNKNOWN_TRANSACTION',
  'USER_EXISTS',
  'USER_NOT_FOUND',
  'ASSET_EXISTS',
  'ASSET_NOT_FOUND',
  /** The asset is IMPORTING: its units can't be listed or traded until imports:Finish. */
  'ASSET_IMPORTING',
  /** An import step on an asset that is not IMPORTING (never begun, or finished). */
  'ASSET_NOT_IMPORTING',
  /** imports:Finish while the imported holdings do not sum to the declared total. */
  'IMPORT_INCOMPLETE',

  /** A unit count that is not a whole number from 1 to Number.MAX_SAFE_INTEGER. */
  'UNITS_INVALID',
  /** Holders' units do not add up to the asset's total. */
  'UNITS_MISMATCH',
  /** The user holds no units of the asset. */
  'NOT_HOLDER',
  /** More units asked for than are free to escrow, or than a listing or campaign has left. */
  'INSUFFICIENT_UNITS',
  'LISTING_NOT_FOUND',
  /** The listing is sold out, cancelled, expired, or past its expiry time. */
  'LISTING_CLOSED',
  /** A purchase or commitment outside the per-buyer minimum or maximum, or past the investor cap. */
  'LIMIT_EXCEEDED',
  /** A seller buying from their own listing or offer, or committing to their own campaign. */
  'SELF_TRADE',
  /** The campaign's deadline has not passed yet, so it cannot settle (or be cancelled with commitments). */
  'CAMPAIGN_OPEN',
  /** The campaign no longer takes commitments: its deadline passed or it was settled or cancelled. */
  'CAMPAIGN_CLOSED',
  /** Commitments can be withdrawn only until 48 hours before the campaign's deadline. */
  'WITHDRAWAL_CLOSED',
  'OFFER_NOT_FOUND',
  /** The offer was accepted, cancelled or expired, or is past its expiry time. */
  'OFFER_CLOSED',
  /** Expiring a listing or offer before its expiry time. */
  'NOT_EXPIRED',
  /** A time range that is not `from/to` with ISO-8601 instants, or whose from is not before its to. */
  'TIME_RANGE_INVALID',
  // Consent (R7): a user's key and their signature over each request. Nothing is written on any of them.
  /** The user has no transaction key yet (keys:Register). */
  'KEY_NOT_SET',
  /** A public key that is not an uncompressed P-256 key in SPKI DER, base64url, or an algorithm other than ES256. */
  'KEY_INVALID',
  /** A key registration not signed by the key it registers (no proof of possession). */
  'KEY_PROOF_INVALID',
  /** A signed request or signature that cannot be read: not canonical JSON, a missing or extra field, a bad signature encoding. */
  'CONSENT_MALFORMED',
  /** The request was signed for another act than the transaction that carries it. */
  'CONSENT_ACTION_MISMATCH',
  /** The request's user is not the user whose units the act concerns (another seller's listing, an offer to another buyer). */
  'CONSENT_USER_MISMATCH',
  /** The signed terms (price, units) differ from the listing or offer acted on. */
  'CONSENT_TERMS_MISMATCH',
  /** The request's expiry has passed, or is within one proposal time window of the transaction's time. */
  'CONSENT_EXPIRED',
  /** The request's expiry lies more than the maximum lifetime (one hour) after the transaction's time. */
  'CONSENT_LIFETIME_EXCEEDED',
  /**
   * The signature does not verify under the user's registered key: a wrong
   * key, another user's key, or a request altered after it was signed.
   */
  'CONSENT_SIGNATURE_INVALID',
  /** The signature verifies under a key the user had before: that key was replaced and is refused. */
  'CONSENT_KEY_RETIRED',
  /** The user's request ID was used before: a request runs once. */
  'CONSENT_REPLAYED',
  // Pending holdings (R13)
  /**
   * The holding is another platform's user's, and that platform has not
   * accepted it yet (assets:AcceptHolding): no trade, escrow or certificate until then.
   */
  'HOLDING_PENDING',
  /** Accepting or declining a holding that is not pending. */
  'HOLDING_NOT_PENDING',
  /** Declining the only holding of an asset: an asset keeps at least one unit, so it stays pending. */
  'LAST_HOLDING',
  // User references (R12)
  /** The platform's reference secret is not the one its first registration used. */
  'REFERENCE_SECRET_MISMATCH',
  // Holders (R3, R4)
  /** A certificate past its validity period at the proposal's time. */
  'CERTIFICATE_EXPIRED',
  /** A holder's query request that is malformed, names another asset, or is bound to another certificate. */
  'QUERY_REQUEST_INVALID',
  /** A holder's query request made too long before or after the proposal's time. */
  'QUERY_REQUEST_STALE',
  /** A holder's query request whose signature does not verify under the certificate's key. */
  'QUERY_SIGNATURE_INVALID',
  // Batches
  /** A batch with more items than its transaction takes (MAX_CERTIFICATE_BATCH for certificates:RecordBatch). */
  'BATCH_TOO_LARGE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CODES = new Set<string>(ERROR_CODES);

/** True for a code the chaincode sends. */
export function isErrorCode(code: string): code is ErrorCode {
  return CODES.has(code);
}
