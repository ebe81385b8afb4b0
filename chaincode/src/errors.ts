/**
 * Every failure a caller can cause ends in one of these codes. The message is
 * always "CODE: sentence" because that string is all that survives the trip
 * through the peer to the client, which parses the code back out of it.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'TRANSIENT_MISSING',
  'FORBIDDEN',
  /** A certificate is malformed, from the wrong issuer, names the wrong holding, or is not current. */
  'CERTIFICATE_INVALID',
  /** Revoking a certificate that is already revoked. */
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
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class ChaincodeError extends Error {
  readonly code: ErrorCode;
  readonly sentence: string;

  constructor(code: ErrorCode, sentence: string, options?: ErrorOptions) {
    super(`${code}: ${sentence}`, options);
    this.name = 'ChaincodeError';
    this.code = code;
    this.sentence = sentence;
  }
}

export function isChaincodeError(error: unknown): error is ChaincodeError {
  return error instanceof ChaincodeError;
}
