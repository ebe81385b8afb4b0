import {
  integerLiteralsOnly,
  requireUnits,
  requireUnitsAddUp,
  requireUnitsText,
  shareOfTotal,
  sumUnits,
} from './units';

describe('requireUnits', () => {
  it.each([1, 10, Number.MAX_SAFE_INTEGER])('accepts %d', (units) => {
    expect(requireUnits(units, 'units')).toBe(units);
  });

  it.each([
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 1,
    '10',
    '10abc',
    null,
    [],
  ])('refuses %p with UNITS_INVALID', (units) => {
    expect(() => requireUnits(units, 'holders[0].units')).toThrow(
      'UNITS_INVALID: holders[0].units must be a whole number of units from 1 to 9007199254740991',
    );
  });
});

describe('integerLiteralsOnly', () => {
  const parse = (text: string): unknown => JSON.parse(text, integerLiteralsOnly);

  it('keeps whole numbers written as digits', () => {
    expect(parse('{"a":10,"b":[-3,0]}')).toEqual({ a: 10, b: [-3, 0] });
  });

  it.each(['1.5', '10.0', '1e3', '4503599627370497.5', '1E2'])('turns %s into NaN', (text) => {
    expect(parse(`{"units":${text}}`)).toEqual({ units: Number.NaN });
  });

  it('leaves non-numbers alone', () => {
    expect(parse('{"s":"1.5","t":true,"n":null}')).toEqual({ s: '1.5', t: true, n: null });
  });
});

describe('requireUnitsAddUp', () => {
  it('accepts an exact sum', () => {
    expect(() => {
      requireUnitsAddUp(100, [60, 40]);
    }).not.toThrow();
  });

  it('refuses a sum that differs, naming both numbers', () => {
    expect(() => {
      requireUnitsAddUp(100, [60, 41]);
    }).toThrow("UNITS_MISMATCH: holders' units add up to 101, not the asset's 100 total units");
  });

  it('sums exactly past what a double holds', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(sumUnits([max, max])).toBe(2n * BigInt(max));
    expect(() => {
      requireUnitsAddUp(max, [max, 1]);
    }).toThrow(/^UNITS_MISMATCH: /);
  });
});

describe('shareOfTotal', () => {
  it.each([
    [60, 100, '0.600000'],
    [1, 3, '0.333333'],
    [2, 3, '0.666667'],
    [100, 100, '1.000000'],
    [1, 2_000_000, '0.000001'],
    [1, 2_000_001, '0.000000'],
    [0, 5, '0.000000'],
    [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, '1.000000'],
  ])('%d of %d is %s', (units, total, share) => {
    expect(shareOfTotal(units, total)).toBe(share);
  });

  it('refuses a total of zero', () => {
    expect(() => shareOfTotal(1, 0)).toThrow(RangeError);
  });
});

describe('requireUnitsText', () => {
  it.each([
    ['1', 1],
    ['10', 10],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %d', (text, units) => {
    expect(requireUnitsText(text, 'units')).toBe(units);
  });

  it.each(['0', '01', '-1', '1.0', '1e3', ' 10', '10 ', '10abc', '', '9007199254740992', '0x10', 10])(
    'refuses %p with UNITS_INVALID',
    (text) => {
      expect(() => requireUnitsText(text, 'units')).toThrow(/^UNITS_INVALID: units must be a whole number/);
    },
  );
});
