// The stable codes a CrowdLedgerError can carry. This module imports
// nothing so that errors.ts and ca/errors.ts can both read it without a cycle.

/**
 * Codes the chaincode sends as "CODE: sentence" (chaincode/src/errors.ts).
 * A unit test keeps this list equal to the chaincode's: when the chaincode
 * gains a code, the SDK gains it in the same change.
 */
export const CHAINCODE_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'TRANSIENT_MISSING',
  'FORBIDDEN',
  'CERTIFICATE_INVALID',
  'CERTIFICATE_REVOKED',
  'CORRUPT_STATE',
  'UNKNOWN_TRANSACTION',
  'USER_EXISTS',
  'USER_NOT_FOUND',
  'ASSET_EXISTS',
  'ASSET_NOT_FOUND',
  'UNITS_INVALID',
  'UNITS_MISMATCH',
  'NOT_HOLDER',
  // Trading (R5–R9): transaction keys, listings, offers, campaigns.
  'BAD_TRANSACTION_KEY',
  'LOCKED',
  'KEY_NOT_SET',
  'INSUFFICIENT_UNITS',
  'LISTING_NOT_FOUND',
  'LISTING_CLOSED',
  'LIMIT_EXCEEDED',
  'SELF_TRADE',
  'CAMPAIGN_OPEN',
  'CAMPAIGN_CLOSED',
  'WITHDRAWAL_CLOSED',
  'OFFER_NOT_FOUND',
  'OFFER_CLOSED',
  'NOT_EXPIRED',
  // Compliance reads (R14).
  'TIME_RANGE_INVALID',
] as const;

/** A code the chaincode sends. */
export type ChaincodeErrorCode = (typeof CHAINCODE_ERROR_CODES)[number];

/**
 * Fabric's transaction validation codes (peer.TxValidationCode, VALID
 * left out): what a commit that failed validation reports.
 */
export const VALIDATION_ERROR_CODES = [
  'NIL_ENVELOPE',
  'BAD_PAYLOAD',
  'BAD_COMMON_HEADER',
  'BAD_CREATOR_SIGNATURE',
  'INVALID_ENDORSER_TRANSACTION',
  'INVALID_CONFIG_TRANSACTION',
  'UNSUPPORTED_TX_PAYLOAD',
  'BAD_PROPOSAL_TXID',
  'DUPLICATE_TXID',
  'ENDORSEMENT_POLICY_FAILURE',
  'MVCC_READ_CONFLICT',
  'PHANTOM_READ_CONFLICT',
  'UNKNOWN_TX_TYPE',
  'TARGET_CHAIN_NOT_FOUND',
  'MARSHAL_TX_ERROR',
  'NIL_TXACTION',
  'EXPIRED_CHAINCODE',
  'CHAINCODE_VERSION_CONFLICT',
  'BAD_HEADER_EXTENSION',
  'BAD_CHANNEL_HEADER',
  'BAD_RESPONSE_PAYLOAD',
  'BAD_RWSET',
  'ILLEGAL_WRITESET',
  'INVALID_WRITESET',
  'INVALID_CHAINCODE',
  'NOT_VALIDATED',
  'INVALID_OTHER_REASON',
] as const;

/** A transaction validation code of a failed commit. */
export type ValidationErrorCode = (typeof VALIDATION_ERROR_CODES)[number];

/** Codes the SDK itself raises. */
export const ClientErrorCode = {
  profileNotFound: 'PROFILE_NOT_FOUND',
  invalidProfile: 'INVALID_PROFILE',
  unknownIdentity: 'UNKNOWN_IDENTITY',
  unknownPeer: 'UNKNOWN_PEER',
  fileUnreadable: 'FILE_UNREADABLE',
  invalidIdentity: 'INVALID_IDENTITY',
  unavailable: 'UNAVAILABLE',
  timeout: 'TIMEOUT',
  endorseFailed: 'ENDORSE_FAILED',
  submitFailed: 'SUBMIT_FAILED',
  commitStatusFailed: 'COMMIT_STATUS_FAILED',
  gatewayFailed: 'GATEWAY_FAILED',
  unexpected: 'UNEXPECTED',
  /** The SDK's options are wrong (a missing field, a bad value). */
  invalidOptions: 'INVALID_OPTIONS',
  /** The peer answered with something that is not the documented result. */
  badResponse: 'BAD_RESPONSE',
  /** A code this SDK version does not know; `rawCode` has it as sent. */
  unrecognisedCode: 'UNRECOGNISED_CODE',
  /** The client was closed before the call. */
  closed: 'CLIENT_CLOSED',
  /** A platform may issue certificates only for its own users (R13). */
  notOwnUser: 'NOT_OWN_USER',
  /** The holding's certificate is already issued: nothing is due. */
  certificateNotDue: 'CERTIFICATE_NOT_DUE',
  /** A block number that is not a whole number from 0, or beyond the chain's newest block. */
  blockOutOfRange: 'BLOCK_OUT_OF_RANGE',
} as const;

/** A code the SDK raises. */
export type ClientErrorCodeValue = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/**
 * Codes of the asset-CA client (client/src/ca/errors.ts `CaErrorCode`),
 * repeated here as values so this module imports nothing; a unit test keeps
 * them equal.
 */
export const CA_ERROR_CODES = [
  'CA_REFUSED',
  'CA_UNREACHABLE',
  'CA_BAD_RESPONSE',
  'CA_INVALID_REQUEST',
  'INVALID_CERTIFICATE',
  'CA_IDENTITY_CONFLICT',
  'CA_IDENTITY_REVOKED',
] as const;

/** A code the asset-CA client raises. */
export type CaErrorCodeValue = (typeof CA_ERROR_CODES)[number];

/** Every code a CrowdLedgerError can carry. */
export type CrowdLedgerErrorCode =
  ChaincodeErrorCode | ValidationErrorCode | ClientErrorCodeValue | CaErrorCodeValue;

const KNOWN = new Set<string>([
  ...CHAINCODE_ERROR_CODES,
  ...VALIDATION_ERROR_CODES,
  ...Object.values(ClientErrorCode),
  ...CA_ERROR_CODES,
]);

const CHAINCODE = new Set<string>(CHAINCODE_ERROR_CODES);

/** True for any code this SDK version knows. */
export function isCrowdLedgerErrorCode(code: string): code is CrowdLedgerErrorCode {
  return KNOWN.has(code);
}

/** True for a code the chaincode sends. */
export function isChaincodeErrorCode(code: string): code is ChaincodeErrorCode {
  return CHAINCODE.has(code);
}

/**
 * Validation codes the SDK retries: only MVCC_READ_CONFLICT, as the SDK's
 * contract says. A PHANTOM_READ_CONFLICT (a range read changed) surfaces: no
 * CrowdLedger submit races on a range (campaign settlement reads its
 * commitments only after the deadline closed them), so one means something
 * unexpected that a caller should see.
 */
export const RETRYABLE_CODES: readonly ValidationErrorCode[] = ['MVCC_READ_CONFLICT'];
