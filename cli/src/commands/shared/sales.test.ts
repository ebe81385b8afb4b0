import { buyerLimits } from './sales';

describe('buyerLimits', () => {
  it('defaults to 1 and every unit', () => {
    expect(buyerLimits(100)).toEqual({ min: 1, max: 100 });
    expect(buyerLimits(100, 10, 50)).toEqual({ min: 10, max: 50 });
  });

  it('refuses a minimum above the maximum', () => {
    expect(() => buyerLimits(100, 60, 50)).toThrow('--min 60 is more than --max 50');
  });
});
