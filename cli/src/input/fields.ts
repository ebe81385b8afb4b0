// Strict reading of JSON a user wrote: every field named, typed and checked,
// unknown fields refused (a typo such as "idNo" must not pass silently).
// Errors name the field's path: `asset.json: holders[1].units must be …`.
import { CliError } from '../errors';

export type JsonObject = Readonly<Record<string, unknown>>;

/** Where a value sits: the source (file or stdin) and the path inside it. */
export interface At {
  readonly source: string;
  readonly path: string;
}

export function invalid(at: At, problem: string): CliError {
  const where = at.path === '' ? at.source : `${at.source}: ${at.path}`;
  return new CliError(`${where} ${problem}`);
}

export function child(at: At, key: string | number): At {
  const step = typeof key === 'number' ? `[${String(key)}]` : at.path === '' ? key : `.${key}`;
  return { source: at.source, path: `${at.path}${step}` };
}

/** An object with only the allowed keys. */
export function record(value: unknown, at: At, allowed: readonly string[]): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(at, 'must be a JSON object');
  }
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    const names = unknown.map((k) => JSON.stringify(k)).join(', ');
    throw invalid(at, `has unknown field ${names} (expected ${allowed.join(', ')})`);
  }
  return value as JsonObject;
}

/** A string; non-empty unless `allowEmpty`. */
export function text(o: JsonObject, key: string, at: At, allowEmpty = false): string {
  const value = o[key];
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw invalid(child(at, key), allowEmpty ? 'must be a string' : 'must be a non-empty string');
  }
  return value;
}

/** A whole number from `min` up to Number.MAX_SAFE_INTEGER: no fractions, strings or exponents past it. */
export function whole(o: JsonObject, key: string, at: At, min: number): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(
      child(at, key),
      `must be a whole number from ${String(min)} to ${String(Number.MAX_SAFE_INTEGER)}`,
    );
  }
  return value;
}

export function flag(o: JsonObject, key: string, at: At): boolean {
  const value = o[key];
  if (typeof value !== 'boolean') {
    throw invalid(child(at, key), 'must be true or false');
  }
  return value;
}

export function choice<T extends string>(o: JsonObject, key: string, at: At, values: readonly T[]): T {
  const value = o[key];
  const found = values.find((v) => v === value);
  if (found === undefined) {
    throw invalid(child(at, key), `must be one of ${values.join(', ')}`);
  }
  return found;
}

/** An array, each entry read by `item`; an absent field is `fallback` when one is given. */
export function list<T>(
  o: JsonObject,
  key: string,
  at: At,
  item: (value: unknown, at: At) => T,
  fallback?: readonly T[],
): T[] {
  const value = o[key];
  if (value === undefined && fallback !== undefined) {
    return [...fallback];
  }
  if (!Array.isArray(value)) {
    throw invalid(child(at, key), 'must be an array');
  }
  const here = child(at, key);
  return value.map((entry: unknown, i) => item(entry, child(here, i)));
}
