import { requirePrice, requireSafeAmount } from './prices';

describe('requirePrice', () => {
  it.each([1, 15_000, Number.MAX_SAFE_INTEGER])('accepts %d fen', (price) => {
    expect(requirePrice(price, 'p')).toBe(price);
  });

  it.each([0, -1, 0.5, Number.NaN, '100', null, Number.MAX_SAFE_INTEGER + 1])('refuses %p', (price) => {
    expect(() => requirePrice(price, 'p')).toThrow(
      /^INVALID_ARGUMENT: p must be a whole number of minor units \(fen\)/,
    );
  });
});

describe('requireSafeAmount', () => {
  it('multiplies exactly up to Number.MAX_SAFE_INTEGER', () => {
    expect(requireSafeAmount(1, Number.MAX_SAFE_INTEGER, 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(requireSafeAmount(3, 7, 'x')).toBe(21);
  });

  it('refuses a product past it, naming the exact amount', () => {
    expect(() => requireSafeAmount(2, 2 ** 52, 'listingJson')).toThrow(
      `INVALID_ARGUMENT: listingJson: 2 units at ${String(2 ** 52)} fen come to 9007199254740992 fen, more than 9007199254740991`,
    );
  });
});
