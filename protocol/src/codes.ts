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
  /** A unit count that is not a whole number from 1 to Number.MAX_SAFE_INTEGER. */
  'UNITS_INVALID',
  /** Holders' units do not add up to the asset's total. */
  'UNITS_MISMATCH',
  /** The user holds no units of the asset. */
  'NOT_HOLDER',
  /**
   * Refusal code, returned in a committed {outcome: "REFUSED"} result rather
   * than thrown: the user's transaction key was wrong, and the failure was counted.
   */
  'BAD_TRANSACTION_KEY',
  /** Refusal code, returned like BAD_TRANSACTION_KEY: trading is locked until the platform sets a new key. */
  'LOCKED',
  /** The user has no transaction key yet (keys:Set). */
  'KEY_NOT_SET',
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
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CODES = new Set<string>(ERROR_CODES);

/** True for a code the chaincode sends. */
export function isErrorCode(code: string): code is ErrorCode {
  return CODES.has(code);
}

/**
 * The codes a key-gated transaction returns instead of throwing: a wrong key
 * must commit (the failure count is written), and a transaction that throws
 * commits nothing.
 */
export const REFUSAL_CODES = ['BAD_TRANSACTION_KEY', 'LOCKED'] as const satisfies readonly ErrorCode[];

export type RefusalCode = (typeof REFUSAL_CODES)[number];
