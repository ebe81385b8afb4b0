import { ChaincodeError, isChaincodeError } from './errors';
import { fromJsonBytes } from './json';

/** How one record type turns into stored bytes and back, validating on read. */
export interface Codec<T> {
  fromBytes(bytes: Uint8Array, key: string): T;
  toBytes(value: T): Uint8Array;
}

/**
 * Parses a stored record with the same checks its writer applied to input.
 * A failure there means the ledger holds something no transaction of this
 * chaincode wrote, so it is CORRUPT_STATE naming the key, not the caller's
 * INVALID_ARGUMENT.
 */
export function parseStored<T>(bytes: Uint8Array, key: string, parse: (value: unknown) => T): T {
  const value = fromJsonBytes(bytes, key);
  try {
    return parse(value);
  } catch (error) {
    if (isChaincodeError(error)) {
      throw new ChaincodeError('CORRUPT_STATE', `record ${key} is invalid: ${error.sentence}`, {
        cause: error,
      });
    }
    throw error;
  }
}
