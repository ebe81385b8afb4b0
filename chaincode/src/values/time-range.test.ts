import { isChaincodeError } from './errors';
import { requireRangeInstant, requireTimeRange } from './time-range';

function codeOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return isChaincodeError(error) ? error.code : 'not a chaincode error';
  }
  return 'OK';
}

describe('requireRangeInstant', () => {
  it.each([
    ['2025-01-31T08:00:00.000Z', '2025-01-31T08:00:00.000Z'],
    ['2025-01-31T08:00:00Z', '2025-01-31T08:00:00.000Z'],
    ['2025-01-31T08:00Z', '2025-01-31T08:00:00.000Z'],
    ['2025-01-31T08:00:00.5Z', '2025-01-31T08:00:00.500Z'],
    ['2025-01-31T16:00:00.250+08:00', '2025-01-31T08:00:00.250Z'],
    ['2025-01-01T02:30:00+05:30', '2024-12-31T21:00:00.000Z'],
    ['2024-12-31T20:00:00-04:00', '2025-01-01T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(requireRangeInstant(text, 'from')).toBe(expected);
  });

  it.each([
    '2025-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T23:60:00Z',
    '2025-01-01T23:59:60Z',
    '2025-01-01T00:00:00+24:00',
    '2025-01-01T00:00:00',
    '2025-01-01',
    '2025-01-01T00:00:00.1234Z',
    '0070-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '9999-12-31T23:00:00-02:00',
    ' 2025-01-01T00:00:00Z',
    '2025-01-01T00:00:00z',
    '1738310400000',
  ])('refuses %j with TIME_RANGE_INVALID', (text) => {
    expect(codeOf(() => requireRangeInstant(text, 'to'))).toBe('TIME_RANGE_INVALID');
  });

  it('names the bound and shows the expected form', () => {
    expect(() => requireRangeInstant('yesterday', 'from')).toThrow(
      'TIME_RANGE_INVALID: from must be an ISO-8601 instant with a zone',
    );
  });
});

describe('requireTimeRange', () => {
  it('reads from/to, either side open', () => {
    expect(requireTimeRange('2025-01-01T00:00:00Z/2025-02-01T00:00:00+08:00')).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-31T16:00:00.000Z',
    });
    expect(requireTimeRange('2025-01-01T00:00:00Z/')).toEqual({ from: '2025-01-01T00:00:00.000Z' });
    expect(requireTimeRange('/2025-01-01T00:00:00Z')).toEqual({ to: '2025-01-01T00:00:00.000Z' });
    expect(requireTimeRange('/')).toEqual({});
    expect(requireTimeRange('')).toEqual({});
  });

  it('wants from before to', () => {
    expect(() => requireTimeRange('2025-01-01T00:00:00Z/2025-01-01T08:00:00+08:00')).toThrow(
      'TIME_RANGE_INVALID: from (2025-01-01T00:00:00.000Z) must be before to (2025-01-01T00:00:00.000Z)',
    );
    expect(codeOf(() => requireTimeRange('2025-02-01T00:00:00Z/2025-01-01T00:00:00Z'))).toBe(
      'TIME_RANGE_INVALID',
    );
  });

  it.each([
    ['no slash', '2025-01-01T00:00:00Z'],
    ['two slashes', '2025-01-01T00:00:00Z/2025-01-02T00:00:00Z/'],
    ['a bad side', '2025-01-01T00:00:00Z/tomorrow'],
    ['too long', 'x'.repeat(129)],
  ])('refuses %s', (_what, interval) => {
    expect(codeOf(() => requireTimeRange(interval))).toBe('TIME_RANGE_INVALID');
  });

  it('refuses a non-string', () => {
    expect(codeOf(() => requireTimeRange(undefined))).toBe('TIME_RANGE_INVALID');
  });
});
