import { INSTANT_EXPECTED, isInstant } from '@crowdledger/protocol';
import { ChaincodeError } from './errors';

interface TextRule {
  /** Sentence fragment saying what a valid value looks like. */
  readonly expected: string;
  readonly pattern?: RegExp;
  readonly maxLength: number;
}

/**
 * Narrows an argument to a string that satisfies the rule, or fails with the
 * argument's name and what was expected. Empty strings never pass: Fabric
 * stores an empty value as a delete.
 */
export function requireText(value: unknown, name: string, rule: TextRule): string {
  if (typeof value !== 'string') {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be a string`);
  }
  const fits = value.length > 0 && value.length <= rule.maxLength;
  if (!fits || (rule.pattern !== undefined && !rule.pattern.test(value))) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be ${rule.expected}`);
  }
  return value;
}

/** A JSON object's fields, with the names it may carry checked. */
export type Fields = Readonly<Record<string, unknown>>;

/**
 * Narrows a parsed JSON value to an object that has every required field and
 * nothing else: an unexpected field is refused rather than silently dropped,
 * since it may carry data the caller meant to be stored.
 */
export function requireFields(
  value: unknown,
  name: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be a JSON object`);
  }
  const fields = value as Fields;
  const unknown = Object.keys(fields).find((key) => !required.includes(key) && !optional.includes(key));
  if (unknown !== undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} has an unknown field ${unknown}`);
  }
  const missing = required.find((key) => fields[key] === undefined);
  if (missing !== undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name}.${missing} is required`);
  }
  return fields;
}

export function requireArray(value: unknown, name: string, min: number, max: number): readonly unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${name} must be a list of ${String(min)} to ${String(max)} entries`,
    );
  }
  return value as readonly unknown[];
}

export function requireBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be true or false`);
  }
  return value;
}

export function requireOneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be one of ${allowed.join(', ')}`);
  }
  return found;
}

export function requireWholeNumber(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${name} must be a whole number from ${String(min)} to ${String(max)}`,
    );
  }
  return value;
}

// Control characters would let one stored string masquerade as another on a
// terminal or in a CSV export; tabs and line breaks are fine in prose.
const ONE_LINE = /^[^\p{Cc}]*$/u;
const PROSE = /^(?:[^\p{Cc}]|[\t\n\r])*$/u;

/** Free text on one line, 1 to max UTF-16 units, no control characters. */
export function requireLine(value: unknown, name: string, max: number): string {
  return requireText(value, name, {
    expected: `1 to ${String(max)} characters without control characters`,
    pattern: ONE_LINE,
    maxLength: max,
  });
}

/** Free text that may span lines; empty only when allowEmpty. */
export function requireProse(value: unknown, name: string, max: number, allowEmpty = false): string {
  if (allowEmpty && value === '') {
    return value;
  }
  return requireText(value, name, {
    expected: `${allowEmpty ? '0' : '1'} to ${String(max)} characters without control characters other than tab and line breaks`,
    pattern: PROSE,
    maxLength: max,
  });
}

/**
 * An instant as Date.toISOString writes it, the only form the ledger stores,
 * naming a real moment: it must read back to the same text, so month 13 or
 * 30 February is refused rather than compared as NaN or rolled into March.
 */
export function requireInstant(value: unknown, name: string): string {
  if (!isInstant(value)) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be ${INSTANT_EXPECTED}`);
  }
  return value;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function requireSha256Hex(value: unknown, name: string): string {
  return requireText(value, name, {
    expected: '64 lower-case hex digits (a SHA-256 digest)',
    pattern: SHA256_HEX,
    maxLength: 64,
  });
}

/** Parses caller-supplied JSON text; the sentence never echoes the text back. */
export function parseJsonArgument(
  text: unknown,
  name: string,
  maxLength: number,
  reviver?: (key: string, value: unknown, context?: { source?: string }) => unknown,
): unknown {
  const checked = requireText(text, name, {
    expected: `JSON of at most ${String(maxLength)} characters`,
    maxLength,
  });
  try {
    return JSON.parse(checked, reviver) as unknown;
  } catch (cause) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} is not valid JSON`, { cause });
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes from the transient map as text; invalid UTF-8 is refused, not patched with U+FFFD. */
export function requireUtf8(bytes: Uint8Array, name: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch (cause) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be UTF-8 text`, { cause });
  }
}
