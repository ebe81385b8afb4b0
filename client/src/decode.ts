import { ClientErrorCode, CrowdLedgerError } from './errors';

/**
 * Reads an untrusted value into a typed one, or throws BAD_RESPONSE naming
 * the path of the field that is wrong. Fields a newer chaincode adds are
 * ignored, so an older SDK keeps working.
 */
export type Decoder<T> = (value: unknown, path: string) => T;

type Fields = Partial<Record<string, unknown>>;

function bad(path: string, expected: string): CrowdLedgerError {
  return new CrowdLedgerError(ClientErrorCode.badResponse, `${path} should be ${expected}`);
}

/** Any string, untouched (no trimming). */
export const text: Decoder<string> = (value, path) => {
  if (typeof value !== 'string') {
    throw bad(path, 'a string');
  }
  return value;
};

/** A safe integer (units, prices, counts); fractions and huge numbers are refused. */
export const wholeNumber: Decoder<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw bad(path, 'a whole number');
  }
  return value;
};

/** A JSON true or false; no truthy strings or numbers. */
export const bool: Decoder<boolean> = (value, path) => {
  if (typeof value !== 'boolean') {
    throw bad(path, 'true or false');
  }
  return value;
};

/** One of the given strings (an enum-like status or kind); anything else is BAD_RESPONSE. */
export function oneOf<T extends string>(values: readonly T[]): Decoder<T> {
  return (value, path) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw bad(path, `one of ${values.join(', ')}`);
    }
    return value as T;
  };
}

/** An array whose every entry decodes with `item`; errors name the entry's index. */
export function arrayOf<T>(item: Decoder<T>): Decoder<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) {
      throw bad(path, 'an array');
    }
    return value.map((entry: unknown, i) => item(entry, `${path}[${String(i)}]`));
  };
}

/** An absent (or undefined) field stays absent. */
export function optional<T>(decoder: Decoder<T>): Decoder<T | undefined> {
  return (value, path) => (value === undefined ? undefined : decoder(value, path));
}

/** A field the chaincode sends as null when it has no value; null stays null. */
export function nullable<T>(decoder: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === null ? null : decoder(value, path));
}

/** A decoder for each property of T, optional ones included. */
export type Shape<T> = { readonly [K in keyof T]-?: Decoder<T[K]> };

/** An object with the shape's fields; optional fields that decode to undefined are left out. */
export function object<T>(shape: Shape<T>): Decoder<T> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw bad(path, 'an object');
    }
    const fields = value as Fields;
    const result: Fields = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      const decoded: unknown = shape[key](fields[key], `${path}.${key}`);
      if (decoded !== undefined) {
        result[key] = decoded;
      }
    }
    // Every key of the shape was decoded into result above.
    return result as T;
  };
}

/** Parses a transaction's JSON result; `what` names it in errors. */
export function fromJson<T>(bytes: Uint8Array, decoder: Decoder<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.badResponse, `${what} is not JSON`, { cause });
  }
  return decoder(value, what);
}
