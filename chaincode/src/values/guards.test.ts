import { requireInstant, requireText } from './guards';

// The rule every ID and reference guard builds on: a pattern and a length.
const KEY_RULE = {
  expected: '1 to 64 characters of A-Z, a-z, 0-9, _ or -',
  pattern: /^[\w-]+$/,
  maxLength: 64,
};
const PLAIN_RULE = { expected: '1 to 4096 characters', maxLength: 4096 };

describe('requireText with a pattern', () => {
  it.each(['a', 'Key_1-x', 'k'.repeat(64)])('accepts %s', (key) => {
    expect(requireText(key, 'key', KEY_RULE)).toBe(key);
  });

  it.each(['', 'k'.repeat(65), 'a b', 'a/b', 'ключ', 'a\u0000b'])('refuses %j', (key) => {
    expect(() => requireText(key, 'key', KEY_RULE)).toThrow(
      /^INVALID_ARGUMENT: key must be 1 to 64 characters/,
    );
  });

  it('refuses a non-string', () => {
    expect(() => requireText(42, 'key', KEY_RULE)).toThrow('INVALID_ARGUMENT: key must be a string');
  });
});

describe('requireText without a pattern', () => {
  it('accepts up to the limit', () => {
    expect(requireText('v'.repeat(4096), 'value', PLAIN_RULE)).toHaveLength(4096);
  });

  // Fabric stores an empty value as a delete, so empty never passes.
  it.each(['', 'v'.repeat(4097)])('refuses a value of length %#', (value) => {
    expect(() => requireText(value, 'value', PLAIN_RULE)).toThrow(
      'INVALID_ARGUMENT: value must be 1 to 4096 characters',
    );
  });
});

describe('requireInstant', () => {
  it('takes an instant that reads back to the same text', () => {
    expect(requireInstant('2028-02-29T23:59:59.999Z', 'expiresAt')).toBe('2028-02-29T23:59:59.999Z');
  });

  it.each([
    '2026-13-01T00:00:00.000Z',
    '2026-02-30T00:00:00.000Z',
    '2026-02-29T12:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T00:00:60.000Z',
    '2026-01-01T00:00:00Z',
  ])('refuses %s, which would compare as NaN or roll into another day', (text) => {
    expect(() => requireInstant(text, 'deadline')).toThrow(
      'INVALID_ARGUMENT: deadline must be an ISO-8601 UTC instant such as 2025-01-31T08:00:00.000Z, a real date and time',
    );
  });
});
