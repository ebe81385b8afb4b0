import { ChaincodeError } from '../errors';

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

const SMOKE_KEY = /^[A-Za-z0-9_-]+$/;
// Collections are named after the member organisation's MSP ID (DESIGN §2).
const COLLECTION = /^[A-Za-z][A-Za-z0-9]*MSPPrivate$/;

export const MAX_SMOKE_VALUE = 4096;

export function requireSmokeKey(value: unknown): string {
  return requireText(value, 'key', {
    expected: '1 to 64 characters of A-Z, a-z, 0-9, _ or -',
    pattern: SMOKE_KEY,
    maxLength: 64,
  });
}

export function requireSmokeValue(value: unknown): string {
  return requireText(value, 'value', {
    expected: `1 to ${String(MAX_SMOKE_VALUE)} characters`,
    maxLength: MAX_SMOKE_VALUE,
  });
}

export function requireCollectionName(value: unknown): string {
  return requireText(value, 'collection', {
    expected: "an organisation's private collection such as Platform1MSPPrivate",
    pattern: COLLECTION,
    maxLength: 64,
  });
}
