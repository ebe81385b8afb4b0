import { isInstant } from './time';

describe('isInstant', () => {
  it('accepts the ledger form of a real moment', () => {
    expect(isInstant('2026-02-28T23:59:59.999Z')).toBe(true);
    expect(isInstant('2028-02-29T00:00:00.000Z')).toBe(true);
  });

  it.each([
    '2026-13-01T00:00:00.000Z',
    '2026-02-30T00:00:00.000Z',
    '2026-02-29T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T00:60:00.000Z',
    '2026-01-01T00:00:00Z',
    '2026-01-01T08:00:00.000+08:00',
    '2026-01-01',
  ])('refuses %s', (text) => {
    expect(isInstant(text)).toBe(false);
  });

  it('refuses what is not text', () => {
    expect(isInstant(Date.now())).toBe(false);
  });
});
