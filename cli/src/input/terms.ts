// Parsers of the numbers and times write commands take as flags, and the
// flags of a sale's terms that listings and campaigns share. Whole numbers
// only, written in plain digits: "10abc", "1e3", "1.5" and "-1" are refused
// rather than half-read (DESIGN §3).
import { type Command, InvalidArgumentError } from 'commander';
import { CliError } from '../errors';

const DIGITS = /^\d{1,16}$/;

function wholeFrom(value: string, min: number, what: string): number {
  const n = DIGITS.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(
      `expected ${what}: a whole number from ${String(min)} to ${String(Number.MAX_SAFE_INTEGER)}`,
    );
  }
  return n;
}

/** Units: a whole number, at least 1. */
export function parseUnits(value: string): number {
  return wholeFrom(value, 1, 'units');
}

/** A price per unit in the currency's minor unit (fen for CNY): a whole number, at least 0. */
export function parseMinorUnits(value: string): number {
  return wholeFrom(value, 0, "whole minor units of the asset's currency (fen for CNY)");
}

/** A block number from which to read the event feed. */
export function parseBlock(value: string): bigint {
  return BigInt(wholeFrom(value, 0, 'a block number'));
}

/** A whole number from `min` to `max`, for counts with a hard bound (page sizes, workers). */
export function parseWholeIn(min: number, max: number, what: string): (value: string) => number {
  return (value) => {
    const n = DIGITS.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected ${what}: a whole number from ${String(min)} to ${String(max)}`,
      );
    }
    return n;
  };
}

/** Milliseconds, at least 100. */
export function parseMillis(value: string): number {
  return wholeFrom(value, 100, 'milliseconds');
}

const SPAN = /^(\d{1,9})(s|m|h|d)$/;
const INTERVAL = /^([1-9]\d{0,5})(s|m)$/;

/** A pause between runs, in milliseconds: 1s to 999999m, as `30s` or `5m`. */
export function parseInterval(value: string): number {
  const match = INTERVAL.exec(value);
  if (match === null) {
    throw new InvalidArgumentError('expected an interval in seconds or minutes, e.g. 30s or 5m');
  }
  return Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000);
}
const SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
// A date and time with seconds and an explicit zone: a listing's end must not depend on the machine's zone.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * The instant the text names, or NaN unless every field is real: Date.parse
 * rolls 30 February into March and 24:00 into the next day, and the ledger
 * would then hold a time nobody typed.
 */
function exactInstant(text: string): number {
  const m = ISO_INSTANT.exec(text);
  if (m === null) {
    return Number.NaN;
  }
  const fields = m.slice(1, 7).map(Number);
  const field = (i: number): number => fields[i] ?? Number.NaN;
  const local = new Date(Date.UTC(field(0), field(1) - 1, field(2), field(3), field(4), field(5)));
  const read = [
    local.getUTCFullYear(),
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ];
  const zoneFits = Number(m[9] ?? 0) < 24 && Number(m[10] ?? 0) < 60;
  const fits = zoneFits && read.every((value, i) => value === fields[i]);
  return fits ? Date.parse(text) : Number.NaN;
}

/**
 * An instant: ISO-8601 with a zone (2026-07-01T12:00:00Z), or a span from
 * now (90s, 30m, 24h, 7d). `now` is a parameter so tests need no clock.
 */
export function parseInstant(value: string, now: () => number = Date.now): Date {
  const span = SPAN.exec(value);
  if (span !== null) {
    return new Date(now() + Number(span[1]) * (SECONDS[span[2] ?? 's'] ?? 1) * 1000);
  }
  const at = exactInstant(value);
  if (Number.isNaN(at)) {
    throw new InvalidArgumentError(
      'expected an ISO-8601 time with a zone (2026-07-01T12:00:00Z) or a span from now (90s, 30m, 24h, 7d)',
    );
  }
  return new Date(at);
}

/** The help of --expires and --deadline. */
export const WHEN = 'ISO-8601 time with a zone, or a span from now: 90s, 30m, 24h, 7d';

/** The terms listings and campaigns share: asset, seller, units, price, and per-buyer limits. */
export function withSaleTerms(command: Command, buyer: string): Command {
  return command
    .requiredOption('--asset <assetId>', 'the asset offered')
    .requiredOption('--seller <userId>', "the selling user, one of the platform's")
    .requiredOption('--units <n>', 'units offered; they go into escrow', parseUnits)
    .requiredOption(
      '--price <minor>',
      "price per unit in the currency's minor unit (fen: 1250 is ¥12.50)",
      parseMinorUnits,
    )
    .option('--min <n>', `least units one ${buyer} may take (default 1)`, parseUnits)
    .option('--max <n>', `most units one ${buyer} may take (default: all)`, parseUnits);
}

/** Per-buyer limits: at least 1 and at most every unit when not given. */
export function buyerLimits(units: number, min?: number, max?: number): { min: number; max: number } {
  const limits = { min: min ?? 1, max: max ?? units };
  if (limits.min > limits.max) {
    throw new CliError(`--min ${String(limits.min)} is more than --max ${String(limits.max)}`);
  }
  return limits;
}
