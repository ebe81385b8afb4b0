import { ChaincodeError } from '../errors';

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Endorsers compare write sets byte for byte, so every document is written
 * with its keys sorted at every depth; insertion order would make two peers
 * that built the same object differently disagree.
 */
export function canonicalJson(value: JsonValue): string {
  return JSON.stringify(sortKeys(value));
}

export function toJsonBytes(value: JsonValue): Uint8Array {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** Parses stored bytes; a document that does not parse is named, never skipped. */
export function fromJsonBytes(bytes: Uint8Array, key: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (cause) {
    throw new ChaincodeError('CORRUPT_STATE', `record ${key} is not valid JSON`, { cause });
  }
}

function sortKeys(value: JsonValue): JsonValue {
  if (isJsonArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const child = value[key];
      if (child !== undefined) {
        sorted[key] = sortKeys(child);
      }
    }
    return sorted;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`cannot store the non-finite number ${String(value)}`);
  }
  return value;
}

function isJsonArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}
