import { ChaincodeError } from './errors';

/**
 * A half-open range of instants, [from, to), each side open when absent.
 * Both are in the ledger's one form (Date.toISOString, UTC, milliseconds), so
 * they compare as text exactly as they compare as times.
 */
export interface TimeRange {
  readonly from?: string;
  readonly to?: string;
}

const MAX_INTERVAL = 128;

// ISO-8601 date-time with a zone: seconds and a fraction optional, at most
// milliseconds since that is what the ledger keeps (a finer bound would be
// rounded, and a rounded bound lets in a trade just outside it).
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

// The fixed-width form (four-digit years) keeps text order equal to time order.
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const EXPECTED =
  'an ISO-8601 instant with a zone and at most millisecond precision, such as 2025-01-31T08:00:00Z or 2025-01-31T16:00:00.250+08:00, from 1970 to 9999';

function invalid(sentence: string): ChaincodeError {
  return new ChaincodeError('TIME_RANGE_INVALID', sentence);
}

/** The fields of a matched instant, each a number (0 for an absent optional part). */
interface InstantFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millis: number;
  readonly offsetSign: number;
  readonly offsetHours: number;
  readonly offsetMinutes: number;
}

function fieldsOf(match: RegExpExecArray): InstantFields {
  const n = (i: number): number => Number(match[i] ?? '0');
  return {
    year: n(1),
    month: n(2),
    day: n(3),
    hour: n(4),
    minute: n(5),
    second: n(6),
    millis: Number((match[7] ?? '').padEnd(3, '0')),
    offsetSign: match[8] === '-' ? -1 : 1,
    offsetHours: n(9),
    offsetMinutes: n(10),
  };
}

function clockFits(f: InstantFields): boolean {
  return [f.hour <= 23, f.minute <= 59, f.second <= 59, f.offsetHours <= 23, f.offsetMinutes <= 59].every(
    Boolean,
  );
}

/**
 * Midnight UTC of the date, or undefined for a day the month lacks: Date.UTC
 * rolls 30 February over into March, and years below 100 into the 1900s.
 */
function dateMillis(f: InstantFields): number | undefined {
  const date = new Date(Date.UTC(f.year, f.month - 1, f.day));
  const same = [
    date.getUTCFullYear() === f.year,
    date.getUTCMonth() === f.month - 1,
    date.getUTCDate() === f.day,
  ];
  return same.every(Boolean) ? date.getTime() : undefined;
}

function instantMillis(f: InstantFields): number | undefined {
  const midnight = dateMillis(f);
  if (midnight === undefined || !clockFits(f)) {
    return undefined;
  }
  const local = midnight + ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.millis;
  return local - f.offsetSign * (f.offsetHours * 60 + f.offsetMinutes) * 60_000;
}

/**
 * An ISO-8601 instant in the ledger's form (2025-01-31T08:00:00.000Z).
 * Read field by field rather than with Date.parse, whose leniency beyond
 * the ECMAScript format is up to each engine: every endorser must agree.
 */
export function requireRangeInstant(text: string, name: string): string {
  const match = INSTANT.exec(text);
  const millis = match === null ? undefined : instantMillis(fieldsOf(match));
  if (millis === undefined || millis < EARLIEST || millis > LATEST) {
    throw invalid(`${name} must be ${EXPECTED}`);
  }
  return new Date(millis).toISOString();
}

function splitInterval(interval: unknown): readonly [string, string] {
  if (typeof interval !== 'string' || interval.length > MAX_INTERVAL) {
    throw invalid(`interval must be a string of at most ${String(MAX_INTERVAL)} characters`);
  }
  const parts = interval === '' ? ['', ''] : interval.split('/');
  const [from, to] = parts;
  if (parts.length !== 2 || from === undefined || to === undefined) {
    throw invalid(
      'interval must be from/to, e.g. 2025-01-01T00:00:00Z/2025-02-01T00:00:00Z, either side empty for an open end',
    );
  }
  return [from, to];
}

/**
 * Reads an ISO-8601 time interval `from/to`: either side may be empty for
 * an open end, and an empty interval means all time. `from` is included,
 * `to` is not; when both are given, from must be before to.
 */
export function requireTimeRange(interval: unknown): TimeRange {
  const [fromText, toText] = splitInterval(interval);
  const from = fromText === '' ? {} : { from: requireRangeInstant(fromText, 'from') };
  const to = toText === '' ? {} : { to: requireRangeInstant(toText, 'to') };
  if (from.from !== undefined && to.to !== undefined && from.from >= to.to) {
    throw invalid(`from (${from.from}) must be before to (${to.to})`);
  }
  return { ...from, ...to };
}
