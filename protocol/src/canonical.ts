/** Any value that JSON can carry, as the ledger stores it. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * JSON with object keys sorted at every depth. Endorsers compare write sets
 * byte for byte, and a signature covers exact bytes, so whatever both sides
 * must reproduce (state documents, event payloads, commitments, signed
 * requests) is written this way: insertion order would make two parties that
 * built the same object differently disagree.
 */
export function canonicalJson(value: JsonValue): string {
  return JSON.stringify(sortKeys(value));
}

/** The UTF-8 bytes of {@link canonicalJson}. */
export function canonicalBytes(value: JsonValue): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
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
