import { InvalidArgumentError } from 'commander';
import {
  buyerLimits,
  parseBlock,
  parseInstant,
  parseMillis,
  parseMinorUnits,
  parseUnits,
  parseWholeIn,
} from './terms';

describe('parseUnits and parseMinorUnits', () => {
  it.each([
    ['1', 1],
    ['100', 100],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %d units', (text, n) => {
    expect(parseUnits(text)).toBe(n);
  });

  it.each(['0', '-1', '1.5', '10abc', '1e3', '', ' 1', '0x10', '9007199254740992', '99999999999999999'])(
    'refuses %j as units',
    (text) => {
      expect(() => parseUnits(text)).toThrow(InvalidArgumentError);
    },
  );

  it('allows a price of 0 but not a fraction of a fen', () => {
    expect(parseMinorUnits('0')).toBe(0);
    expect(() => parseMinorUnits('12.50')).toThrow("expected whole minor units of the asset's currency");
  });

  it('reads block numbers and milliseconds', () => {
    expect(parseBlock('0')).toBe(0n);
    expect(parseMillis('500')).toBe(500);
    expect(() => parseMillis('50')).toThrow(InvalidArgumentError);
  });
});

describe('parseWholeIn', () => {
  const pageSize = parseWholeIn(1, 500, 'a page size');

  it('reads a number within its bounds, both ends included', () => {
    expect([pageSize('1'), pageSize('500'), pageSize('42')]).toEqual([1, 500, 42]);
  });

  it.each(['0', '501', '-1', '1.5', '10abc', '', '1e2'])('refuses %j, naming the bounds', (text) => {
    expect(() => pageSize(text)).toThrow('expected a page size: a whole number from 1 to 500');
  });
});

describe('parseInstant', () => {
  const now = (): number => Date.parse('2026-01-01T00:00:00Z');

  it.each([
    ['90s', '2026-01-01T00:01:30.000Z'],
    ['30m', '2026-01-01T00:30:00.000Z'],
    ['24h', '2026-01-02T00:00:00.000Z'],
    ['7d', '2026-01-08T00:00:00.000Z'],
    ['2026-07-01T12:00:00Z', '2026-07-01T12:00:00.000Z'],
    ['2026-07-01T20:00:00+08:00', '2026-07-01T12:00:00.000Z'],
    ['2026-07-01T12:00:00.250Z', '2026-07-01T12:00:00.250Z'],
  ])('reads %j', (text, iso) => {
    expect(parseInstant(text, now).toISOString()).toBe(iso);
  });

  it.each([
    'tomorrow',
    '2026-07-01',
    '2026-07-01T12:00:00',
    '24',
    '-5m',
    '1.5h',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00+08:00',
    '2026-04-31T12:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T12:60:00Z',
    '2026-01-01T12:00:60Z',
    '2026-01-01T12:00:00+24:00',
  ])('refuses %j (no zone, no unit, or no such date or time)', (text) => {
    expect(() => parseInstant(text, now)).toThrow(InvalidArgumentError);
  });
});

describe('buyerLimits', () => {
  it('defaults to 1 and every unit', () => {
    expect(buyerLimits(100)).toEqual({ min: 1, max: 100 });
    expect(buyerLimits(100, 10, 50)).toEqual({ min: 10, max: 50 });
  });

  it('refuses a minimum above the maximum', () => {
    expect(() => buyerLimits(100, 60, 50)).toThrow('--min 60 is more than --max 50');
  });
});
