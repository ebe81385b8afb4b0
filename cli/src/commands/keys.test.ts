import type { TransactionKey } from '@crowdledger/client';
import { createSentence, keyFacts } from './keys';

describe('createSentence', () => {
  const key: TransactionKey = {
    userId: 'U1',
    keyId: 'b'.repeat(64),
    algorithm: 'ES256',
    publicKey: 'MFkw',
    registeredAt: '2026-01-01T00:00:00.000Z',
  };

  it('says where the private key is, and which key a replacement retired', () => {
    expect(createSentence(key, undefined, 'zhang.key')).toBe(
      `Transaction key ${key.keyId} of U1 registered; its private key is in zhang.key, readable by you only: it signs every act that moves this user's units.`,
    );
    const old = { ...key, keyId: 'a'.repeat(64) };
    expect(createSentence(key, old, 'new.key')).toContain(
      `registered in place of ${old.keyId}, which is refused from now on`,
    );
    expect(keyFacts(key)).toContainEqual(['key ID', key.keyId]);
  });
});
