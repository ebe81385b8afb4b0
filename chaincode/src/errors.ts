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
  'INVALID_CERTIFICATE',
  'CORRUPT_STATE',
  'UNKNOWN_TRANSACTION',
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
