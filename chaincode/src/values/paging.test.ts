import { requirePageRequest } from './paging';

describe('requirePageRequest', () => {
  it.each([
    ['1', 1],
    ['500', 500],
    ['42', 42],
  ])('accepts page size %s', (size, expected) => {
    expect(requirePageRequest(size, '')).toEqual({ pageSize: expected, bookmark: '' });
  });

  it.each(['0', '501', '-1', '10abc', '1e2', '1.5', ' 5', '', '007', 10])('refuses page size %p', (size) => {
    expect(() => requirePageRequest(size, '')).toThrow(
      'INVALID_ARGUMENT: pageSize must be a whole number from 1 to 500 written in digits',
    );
  });

  it('passes a bookmark through and refuses an oversized one', () => {
    expect(requirePageRequest('5', '\u0000holding\u0000A1\u0000').bookmark).toBe(
      '\u0000holding\u0000A1\u0000',
    );
    expect(() => requirePageRequest('5', 'b'.repeat(1025))).toThrow(/^INVALID_ARGUMENT: bookmark must be/);
  });
});
