import { argon2Sync, createHash } from 'node:crypto';
import type { TransactionKeyRecord } from '../model/transaction-key';
import {
  checkTransactionKey,
  deriveKeyHash,
  kdfParameters,
  keySalt,
  newKeyRecord,
  OWASP_ARGON2ID,
  requireKeyUsable,
  requireTransactionKey,
  useKdfParameters,
} from './transaction-keys';

const CHEAP = { memoryKiB: 8, passes: 1, parallelism: 1 };
const USER = `U${'a'.repeat(32)}`;
const AT = new Date('2025-01-31T08:00:00.000Z');

beforeAll(() => {
  useKdfParameters(CHEAP);
});

async function record(key = '2468'): Promise<TransactionKeyRecord> {
  return newKeyRecord({ userId: USER, key, blind: '00'.repeat(16), txId: 'tx1', at: AT });
}

describe('KDF parameters', () => {
  it('are OWASP_ARGON2ID until a test changes them', () => {
    jest.isolateModules(() => {
      // A fresh copy of the module, as the chaincode loads it.
      const fresh = jest.requireActual<{ kdfParameters: () => unknown }>('./transaction-keys');
      expect(fresh.kdfParameters()).toEqual({ memoryKiB: 19_456, passes: 2, parallelism: 1 });
    });
    expect(OWASP_ARGON2ID).toEqual({ memoryKiB: 19_456, passes: 2, parallelism: 1 });
    expect(kdfParameters()).toEqual(CHEAP);
  });

  it('derive what argon2Sync derives for argon2id with a 32-byte tag', async () => {
    const salt = keySalt('tx1', USER);
    expect(salt).toBe(createHash('sha256').update(`tx1\n${USER}`).digest('hex'));
    const expected = argon2Sync('argon2id', {
      message: '2468',
      nonce: Buffer.from(salt, 'hex'),
      parallelism: 1,
      tagLength: 32,
      memory: 8,
      passes: 1,
    });
    await expect(deriveKeyHash('2468', salt, CHEAP)).resolves.toEqual(expected);
  });

  it('reports a failed derivation without the key', async () => {
    const failure = await deriveKeyHash('secret-pin', 'aa', {
      memoryKiB: 8,
      passes: 0,
      parallelism: 1,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).not.toContain('secret-pin');
  });
});

describe('requireTransactionKey', () => {
  const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

  it.each(['1234', '密码四位', '🔑🔑🔑🔑', 'k'.repeat(128), 'with spaces ok'])('accepts %j', (key) => {
    expect(requireTransactionKey(bytes(key))).toBe(key);
  });

  it('counts characters, not UTF-16 units: 128 emoji pass, 129 do not', () => {
    expect(requireTransactionKey(bytes('🔑'.repeat(128)))).toHaveLength(256);
    expect(() => requireTransactionKey(bytes('🔑'.repeat(129)))).toThrow('INVALID_ARGUMENT');
  });

  it.each(['123', 'k'.repeat(129), 'ab\u0000cd', 'abc\td'])('refuses %j without echoing it', (key) => {
    expect(() => requireTransactionKey(bytes(key))).toThrow(
      /^INVALID_ARGUMENT: transient field key must be 4 to 128 characters without control characters$/,
    );
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => requireTransactionKey(Uint8Array.from([0x31, 0x32, 0xff, 0x33, 0x34]))).toThrow(
      'INVALID_ARGUMENT: transient field key must be UTF-8 text',
    );
  });
});

describe('checkTransactionKey', () => {
  it('accepts the right key and writes nothing when there were no failures', async () => {
    const stored = await record();
    await expect(checkTransactionKey(stored, '2468')).resolves.toEqual({ record: stored, changed: false });
  });

  it('counts wrong keys, locks at the fifth, and then refuses without checking', async () => {
    let stored = await record();
    const codes: unknown[] = [];
    for (let i = 0; i < 6; i += 1) {
      const verdict = await checkTransactionKey(stored, i === 5 ? '2468' : '0000');
      stored = verdict.record;
      codes.push([verdict.refusal?.code, stored.failures, stored.locked, verdict.changed]);
    }
    expect(codes).toEqual([
      ['BAD_TRANSACTION_KEY', 1, false, true],
      ['BAD_TRANSACTION_KEY', 2, false, true],
      ['BAD_TRANSACTION_KEY', 3, false, true],
      ['BAD_TRANSACTION_KEY', 4, false, true],
      ['BAD_TRANSACTION_KEY', 5, true, true],
      ['LOCKED', 5, true, false],
    ]);
  });

  it('clears the count on the right key', async () => {
    const once = (await checkTransactionKey(await record(), 'nope')).record;
    const verdict = await checkTransactionKey(once, '2468');
    expect(verdict).toMatchObject({ changed: true, record: { failures: 0, locked: false } });
    expect(verdict.refusal).toBeUndefined();
  });

  it('checks with the parameters stored in the record, not the current ones', async () => {
    const stored = await record();
    useKdfParameters({ memoryKiB: 16, passes: 2, parallelism: 1 });
    try {
      await expect(checkTransactionKey(stored, '2468')).resolves.toMatchObject({ changed: false });
    } finally {
      useKdfParameters(CHEAP);
    }
  });
});

describe('requireKeyUsable', () => {
  it('fails KEY_NOT_SET without a record and LOCKED when locked, and never looks at a key', async () => {
    expect(() => {
      requireKeyUsable(undefined, USER);
    }).toThrow(`KEY_NOT_SET: user ${USER} has no transaction key`);
    const locked = (await record()).withFailures(5);
    expect(() => {
      requireKeyUsable(locked, USER);
    }).toThrow(`LOCKED: trading for ${USER} is locked`);
    const usable = await record();
    expect(() => {
      requireKeyUsable(usable, USER);
    }).not.toThrow();
  });
});
