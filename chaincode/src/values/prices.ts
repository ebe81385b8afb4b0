import { ChaincodeError } from './errors';

/**
 * Prices are whole minor units of the asset's currency (fen for CNY), so an
 * amount is an exact integer product; fractions of a fen are refused.
 */
export function requirePrice(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${name} must be a whole number of minor units (fen) from 1 to ${String(Number.MAX_SAFE_INTEGER)}`,
    );
  }
  return value;
}

/**
 * units × pricePerUnit, exact. Refused at listing time when the whole offer
 * would pass Number.MAX_SAFE_INTEGER, so every trade against it has a safe
 * amount.
 */
export function requireSafeAmount(units: number, pricePerUnit: number, name: string): number {
  const amount = BigInt(units) * BigInt(pricePerUnit);
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${name}: ${String(units)} units at ${String(pricePerUnit)} fen come to ${amount.toString()} fen, more than ${String(Number.MAX_SAFE_INTEGER)}`,
    );
  }
  return Number(amount);
}
