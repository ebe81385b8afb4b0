import { ChaincodeError } from './errors';

/** Parses stored bytes; a document that does not parse is named, never skipped. */
export function fromJsonBytes(bytes: Uint8Array, key: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (cause) {
    throw new ChaincodeError('CORRUPT_STATE', `record ${key} is not valid JSON`, { cause });
  }
}
