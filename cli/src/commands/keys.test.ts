import { setSentence } from './keys';

describe('setSentence', () => {
  const status = { userId: 'U1', failures: 5, locked: true, setAt: '2026-01-01T00:00:00Z' };

  it('says what a reset cleared', () => {
    expect(setSentence('U1', status)).toBe(
      'Transaction key of U1 reset: it was locked after 5 wrong keys; failures cleared, trading unlocked.',
    );
    expect(setSentence('U1', { ...status, locked: false, failures: 2 })).toContain(
      'had 2 wrong keys in a row',
    );
    expect(setSentence('U1', undefined)).toBe('Transaction key of U1 set.');
  });
});
