import { MAX_SMOKE_VALUE, requireCollectionName, requireSmokeKey, requireSmokeValue } from './guards';

describe('requireSmokeKey', () => {
  it.each(['a', 'Key_1-x', 'k'.repeat(64)])('accepts %s', (key) => {
    expect(requireSmokeKey(key)).toBe(key);
  });

  it.each(['', 'k'.repeat(65), 'a b', 'a/b', 'ключ', 'a\u0000b'])('refuses %j', (key) => {
    expect(() => requireSmokeKey(key)).toThrow(/^INVALID_ARGUMENT: key must be 1 to 64 characters/);
  });

  it('refuses a non-string', () => {
    expect(() => requireSmokeKey(42)).toThrow('INVALID_ARGUMENT: key must be a string');
  });
});

describe('requireSmokeValue', () => {
  it('accepts up to the limit', () => {
    expect(requireSmokeValue('v'.repeat(MAX_SMOKE_VALUE))).toHaveLength(MAX_SMOKE_VALUE);
  });

  it.each(['', 'v'.repeat(MAX_SMOKE_VALUE + 1)])('refuses a value of length %#', (value) => {
    expect(() => requireSmokeValue(value)).toThrow('INVALID_ARGUMENT: value must be 1 to 4096 characters');
  });
});

describe('requireCollectionName', () => {
  it.each(['Platform1MSPPrivate', 'RegistryMSPPrivate'])('accepts %s', (name) => {
    expect(requireCollectionName(name)).toBe(name);
  });

  it.each(['Platform1MSP', 'platform1Private', '1MSPPrivate', 'MSPPrivate', 'A-MSPPrivate', ''])(
    'refuses %j',
    (name) => {
      expect(() => requireCollectionName(name)).toThrow(/^INVALID_ARGUMENT: collection must be/);
    },
  );
});
