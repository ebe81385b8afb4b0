import type { ErrorCode } from '@crowdledger/protocol';

/**
 * A failure the caller caused. The message is always "CODE: sentence"
 * because that string is all that survives the trip through the peer to the
 * client, which parses the code back out of it. The codes themselves are the
 * protocol's (`@crowdledger/protocol` ERROR_CODES).
 */
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
