import { argon2Sync, createHash } from 'node:crypto';
import { OWASP_ARGON2ID, useKdfParameters } from '../rules/transaction-keys';
import { makeTestPki, type TestPki } from '../testing/pki';
import { json, key, listingInput, publicTexts } from '../testing/trading';
import { ALICE, BLIND, BOB, CAROL, CHEAP_KDF, contracts, KEYS, P1, P2, World } from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
  useKdfParameters(CHEAP_KDF);
});

async function registry(): Promise<World> {
  const world = new World(pki);
  await world.setAssetCa();
  await world.populate();
  return world;
}

function privateRecord(world: World, mspId: string, userId: string): Record<string, unknown> {
  return json(world.stub.privateData.get(`${mspId}Private`)?.get(key('transactionKey', userId))) as Record<
    string,
    unknown
  >;
}

/** A listings:Create with the given key: the simplest key-gated call. */
async function list(world: World, presented: string): Promise<unknown> {
  world.nextTx();
  world.useKey(presented);
  return contracts.listings.Create(
    world.as('platform1'),
    JSON.stringify(listingInput(world.stub, { units: 1 })),
  );
}

describe('KeysContract.Set', () => {
  it("stores only a salted Argon2id hash in the platform's collection and returns the status", async () => {
    const world = await registry();
    const status = await world.setKey('platform1', ALICE, KEYS.alice);
    const setAt = new Date(world.stub.txSeconds * 1000).toISOString();
    expect(status).toEqual({ userId: ALICE, failures: 0, locked: false, setAt });
    const salt = createHash('sha256').update(`${world.stub.txId}\n${ALICE}`).digest('hex');
    const hash = argon2Sync('argon2id', {
      message: Buffer.from(KEYS.alice),
      nonce: Buffer.from(salt, 'hex'),
      parallelism: 1,
      tagLength: 32,
      memory: CHEAP_KDF.memoryKiB,
      passes: CHEAP_KDF.passes,
    }).toString('hex');
    expect(privateRecord(world, P1, ALICE)).toEqual({
      userId: ALICE,
      kdf: 'argon2id',
      memoryKiB: CHEAP_KDF.memoryKiB,
      passes: CHEAP_KDF.passes,
      parallelism: 1,
      salt,
      blind: BLIND,
      hash,
      failures: 0,
      locked: false,
      setAt,
    });
  });

  it('emits TransactionKeySet with who and when, and writes no key material in public', async () => {
    const world = await registry();
    const before = world.stub.writes.length;
    await world.setKey('platform2', CAROL, KEYS.carol);
    expect(world.stub.writes.slice(before).map((w) => w.collection)).toEqual([`${P2}Private`]);
    expect(world.stub.events.at(-1)?.name).toBe('TransactionKeySet');
    expect(json(world.stub.events.at(-1)?.payload)).toEqual({
      userId: CAROL,
      setAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    });
    const record = privateRecord(world, P2, CAROL);
    for (const text of publicTexts(world.stub)) {
      for (const secret of [KEYS.carol, BLIND, String(record['hash'])]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('hashes and checks with OWASP_ARGON2ID, the production setting: 19456 KiB, 2 passes, 1 lane', async () => {
    expect(OWASP_ARGON2ID).toEqual({ memoryKiB: 19_456, passes: 2, parallelism: 1 });
    useKdfParameters(OWASP_ARGON2ID);
    try {
      const world = await registry();
      await world.setKey('platform1', ALICE, KEYS.alice);
      const record = privateRecord(world, P1, ALICE);
      expect(record).toMatchObject({ kdf: 'argon2id', memoryKiB: 19_456, passes: 2, parallelism: 1 });
      const expected = argon2Sync('argon2id', {
        message: Buffer.from(KEYS.alice),
        nonce: Buffer.from(String(record['salt']), 'hex'),
        parallelism: 1,
        tagLength: 32,
        memory: 19_456,
        passes: 2,
      }).toString('hex');
      expect(record['hash']).toBe(expected);
      // A key set with the real parameters is checked with them, whatever the current setting.
      useKdfParameters(CHEAP_KDF);
      await expect(list(world, 'wrong-key')).resolves.toMatchObject({ code: 'BAD_TRANSACTION_KEY' });
      await expect(list(world, KEYS.alice)).resolves.toMatchObject({ outcome: 'OK' });
    } finally {
      useKdfParameters(CHEAP_KDF);
    }
  });

  it('gives a different salt and hash each time the same key is set', async () => {
    const world = await registry();
    await world.setKey('platform1', ALICE, KEYS.alice);
    const first = privateRecord(world, P1, ALICE);
    await world.setKey('platform1', ALICE, KEYS.alice);
    const second = privateRecord(world, P1, ALICE);
    expect(second['salt']).not.toBe(first['salt']);
    expect(second['hash']).not.toBe(first['hash']);
  });

  it('unlocks a locked user and clears their failures', async () => {
    const world = await registry();
    await world.setKey('platform1', ALICE, KEYS.alice);
    for (let i = 0; i < 5; i += 1) {
      await list(world, 'wrong-key');
    }
    expect(privateRecord(world, P1, ALICE)).toMatchObject({ failures: 5, locked: true });
    await expect(list(world, KEYS.alice)).resolves.toMatchObject({ outcome: 'REFUSED', code: 'LOCKED' });
    await world.setKey('platform1', ALICE, 'a-new-key');
    expect(privateRecord(world, P1, ALICE)).toMatchObject({ failures: 0, locked: false });
    await expect(list(world, KEYS.alice)).resolves.toMatchObject({ code: 'BAD_TRANSACTION_KEY' });
    await expect(list(world, 'a-new-key')).resolves.toMatchObject({ outcome: 'OK' });
  });

  it.each([
    ['platform2', ALICE, `FORBIDDEN: only ${P1} may set the transaction key of ${ALICE}`],
    ['admin', ALICE, `FORBIDDEN: only ${P1} may set the transaction key of ${ALICE}`],
    ['auditor', BOB, 'FORBIDDEN'],
    ['nobody', BOB, 'FORBIDDEN'],
  ] as const)('refuses %s for %s and writes nothing', async (who, userId, message) => {
    const world = await registry();
    const before = world.stub.writes.length;
    await expect(world.setKey(who, userId, 'some-key')).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(before);
  });

  it.each([
    ['no key', new Map([['blind', BLIND]]), 'TRANSIENT_MISSING: transient field key is required'],
    ['no blind', new Map([['key', 'abcd']]), 'TRANSIENT_MISSING: transient field blind is required'],
    [
      'a 3-character key',
      new Map([
        ['key', 'abc'],
        ['blind', BLIND],
      ]),
      'INVALID_ARGUMENT: transient field key must be 4 to 128',
    ],
    [
      'a 129-character key',
      new Map([
        ['key', 'k'.repeat(129)],
        ['blind', BLIND],
      ]),
      'INVALID_ARGUMENT: transient field key',
    ],
    [
      'a key with a line break',
      new Map([
        ['key', 'ab\ncd'],
        ['blind', BLIND],
      ]),
      'INVALID_ARGUMENT: transient field key',
    ],
    [
      'a short blind',
      new Map([
        ['key', 'abcd'],
        ['blind', '00ff'],
      ]),
      'INVALID_ARGUMENT: blind must be 16 to 64 random bytes',
    ],
  ])('fails for %s and writes nothing', async (_case, transient, message) => {
    const world = await registry();
    const before = world.stub.writes.length;
    world.stub.transient = new Map([...transient].map(([k, v]) => [k, Buffer.from(v)]));
    await expect(contracts.keys.Set(world.as('platform1'), ALICE)).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(before);
  });

  it('refuses an unregistered user', async () => {
    const world = await registry();
    await expect(world.setKey('platform1', `U${'0'.repeat(32)}`, 'abcd')).rejects.toThrow('USER_NOT_FOUND');
  });
});

describe('KeysContract.Status', () => {
  it('shows failures and lock to the own platform and the admin', async () => {
    const world = await registry();
    await world.setKey('platform1', ALICE, KEYS.alice);
    await list(world, 'wrong-key');
    const status = { userId: ALICE, failures: 1, locked: false };
    await expect(contracts.keys.Status(world.as('platform1'), ALICE)).resolves.toMatchObject(status);
    await expect(contracts.keys.Status(world.as('admin'), ALICE)).resolves.toMatchObject(status);
  });

  it.each(['platform2', 'auditor', 'nobody'] as const)('refuses %s', async (who) => {
    const world = await registry();
    await world.setKey('platform1', ALICE, KEYS.alice);
    await expect(contracts.keys.Status(world.as(who), ALICE)).rejects.toThrow('FORBIDDEN');
  });

  it('fails KEY_NOT_SET before a key is set', async () => {
    const world = await registry();
    await expect(contracts.keys.Status(world.as('platform1'), BOB)).rejects.toThrow(
      `KEY_NOT_SET: user ${BOB} has no transaction key; their platform sets one with keys:Set`,
    );
  });
});
