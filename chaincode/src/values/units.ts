import { ChaincodeError } from './errors';

/**
 * Units are whole numbers a double can hold exactly. Anything else (fractions,
 * negatives, NaN, numbers as strings, values past Number.MAX_SAFE_INTEGER)
 * would let a sum drift, so it is refused rather than rounded.
 */
export function requireUnits(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ChaincodeError(
      'UNITS_INVALID',
      `${name} must be a whole number of units from 1 to ${String(Number.MAX_SAFE_INTEGER)}`,
    );
  }
  return value;
}

const UNITS_TEXT = /^[1-9][0-9]{0,15}$/;

/**
 * Units given as a transaction argument, which is always a string: read digit
 * by digit, so "10abc", "1e3", " 10" and "10.0" are refused, not half-parsed.
 */
export function requireUnitsText(value: unknown, name: string): number {
  const units = typeof value === 'string' && UNITS_TEXT.test(value) ? Number(value) : Number.NaN;
  return requireUnits(units, name);
}

const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * JSON.parse reviver that turns every number not written as plain digits into
 * NaN. JSON.parse reads 1e3 as 1000 and 4503599627370497.5 as an integer, so
 * only the source text can tell a whole number from a fraction; NaN then fails
 * the field's own check with that field's name and code.
 */
export function integerLiteralsOnly(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !INTEGER_LITERAL.test(context?.source ?? '')) {
    return Number.NaN;
  }
  return value;
}

/** Exact sum: safe integers can add up past what a double holds exactly. */
export function sumUnits(units: readonly number[]): bigint {
  return units.reduce((sum, value) => sum + BigInt(value), 0n);
}

export function requireUnitsAddUp(totalUnits: number, held: readonly number[]): void {
  const sum = sumUnits(held);
  if (sum !== BigInt(totalUnits)) {
    throw new ChaincodeError(
      'UNITS_MISMATCH',
      `holders' units add up to ${sum.toString()}, not the asset's ${String(totalUnits)} total units`,
    );
  }
}

const SHARE_PLACES = 6n;
const SHARE_SCALE = 10n ** SHARE_PLACES;

/**
 * units / total as a decimal string with six places, rounded half up, in
 * integer arithmetic so every peer and every client gets the same digits.
 */
export function shareOfTotal(units: number, total: number): string {
  if (!Number.isSafeInteger(units) || !Number.isSafeInteger(total) || units < 0 || total < 1) {
    throw new RangeError(`cannot take a share of ${String(units)} in ${String(total)}`);
  }
  const scaled = (2n * BigInt(units) * SHARE_SCALE + BigInt(total)) / (2n * BigInt(total));
  const whole = scaled / SHARE_SCALE;
  const fraction = (scaled % SHARE_SCALE).toString().padStart(Number(SHARE_PLACES), '0');
  return `${whole.toString()}.${fraction}`;
}
