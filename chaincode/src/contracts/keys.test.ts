import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { INDEX_ENTRY_VALUE, keyIdOf, publicKeyText, toBase64url } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import { createListing, json, key, listingInput, storedText } from '../testing/trading';
import { ALICE, BOB, CAROL, contracts, KEYS, P1, type Who, World } from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

async function registry(): Promise<World> {
  const world = new World(pki);
  await world.setAssetCa();
  await world.populate();
  return world;
}

const textOf = (privateKey: KeyObject): string => publicKeyText(createPublicKey(privateKey));

/** A registration request for `publicKey`, signed by `signer`, relayed by `who`. */
async function register(
  world: World,
  who: Who,
  userId: string,
  key: { readonly publicKey: string; readonly algorithm?: string },
  signer: KeyObject,
): Promise<unknown> {
  world.nextTx();
  const request = world.request('keys:Register', userId, { algorithm: 'ES256', ...key });
  return contracts.keys.Register(world.as(who), ...world.sign(request, signer));
}

/** A one-unit listing by Alice, signed with `signer`: the simplest consent. */
async function list(world: World, signer: KeyObject): Promise<unknown> {
  return createListing(world, listingInput(world.stub, { units: 1 }), { key: signer });
}

describe('KeysContract.Register', () => {
  it('keeps the public key in public state and the request ID, and returns the key', async () => {
    const world = await registry();
    const before = world.stub.writes.length;
    const registered = await world.registerKey('platform1', ALICE, KEYS.alice);
    const publicKey = textOf(KEYS.alice);
    const expected = {
      userId: ALICE,
      keyId: keyIdOf(publicKey),
      algorithm: 'ES256',
      publicKey,
      registeredAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    };
    expect(registered).toEqual(expected);
    expect(json(world.stub.state.get(key('transactionKey', ALICE)))).toEqual(expected);
    expect(world.stub.writes.slice(before).map((w) => [w.collection, w.key])).toEqual([
      ['', key('consent', ALICE, 'request-0001')],
      ['', key('transactionKey', ALICE)],
    ]);
    expect(storedText(world.stub.state.get(key('consent', ALICE, 'request-0001')))).toBe(INDEX_ENTRY_VALUE);
    expect(world.stub.events.at(-1)?.name).toBe('TransactionKeyRegistered');
    expect(json(world.stub.events.at(-1)?.payload)).toEqual(expected);
  });

  it('replaces a key and keeps the old one as retired: it is refused from then on', async () => {
    const world = await registry();
    const first = await world.registerKey('platform1', ALICE, KEYS.alice);
    await expect(list(world, KEYS.alice)).resolves.toMatchObject({ status: 'OPEN' });
    const phone = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const second = await world.registerKey('platform1', ALICE, phone);
    expect(json(world.stub.events.at(-1)?.payload)).toMatchObject({
      keyId: second.keyId,
      replacedKeyId: first.keyId,
    });
    expect(json(world.stub.state.get(key('retiredTransactionKey', ALICE, first.keyId)))).toEqual(first);
    const writes = world.stub.writes.length;
    await expect(list(world, KEYS.alice)).rejects.toThrow(
      `CONSENT_KEY_RETIRED: request request-0004 is signed with key ${first.keyId}, which ${ALICE} had until it was replaced; only their current key ${second.keyId} is accepted`,
    );
    expect(world.stub.writes).toHaveLength(writes);
    await expect(list(world, phone)).resolves.toMatchObject({ status: 'OPEN' });
  });

  it('refuses a registration not signed by the key it registers (no proof of possession)', async () => {
    const world = await registry();
    const before = world.stub.writes.length;
    await expect(
      register(world, 'platform1', ALICE, { publicKey: textOf(KEYS.alice) }, KEYS.stranger),
    ).rejects.toThrow(
      `KEY_PROOF_INVALID: the registration of key ${keyIdOf(textOf(KEYS.alice))} for ${ALICE} is not signed by that key`,
    );
    expect(world.stub.writes).toHaveLength(before);
  });

  it('refuses a key that is not an uncompressed P-256 key, and an algorithm other than ES256', async () => {
    const world = await registry();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    await expect(
      register(world, 'platform1', ALICE, { publicKey: textOf(p384.privateKey) }, KEYS.alice),
    ).rejects.toThrow('KEY_INVALID: publicKey must be an uncompressed P-256 public key');
    await expect(
      register(world, 'platform1', ALICE, { publicKey: toBase64url(Buffer.from('key')) }, KEYS.alice),
    ).rejects.toThrow('KEY_INVALID');
    await expect(
      register(world, 'platform1', ALICE, { publicKey: textOf(KEYS.alice), algorithm: 'ES384' }, KEYS.alice),
    ).rejects.toThrow('KEY_INVALID: algorithm must be one of ES256');
    expect(world.stub.state.has(key('transactionKey', ALICE))).toBe(false);
  });

  it.each([
    ['platform2', ALICE, `FORBIDDEN: only ${P1} may register the transaction key of ${ALICE}`],
    ['admin', ALICE, 'FORBIDDEN: only a platform identity'],
    ['auditor', BOB, 'FORBIDDEN'],
    ['nobody', BOB, 'FORBIDDEN'],
  ] as const)('refuses %s for %s and writes nothing', async (who, userId, message) => {
    const world = await registry();
    const before = world.stub.writes.length;
    await expect(register(world, who, userId, { publicKey: textOf(KEYS.bob) }, KEYS.bob)).rejects.toThrow(
      message,
    );
    expect(world.stub.writes).toHaveLength(before);
  });

  it('refuses a replayed registration: a platform cannot put back a key with an old proof', async () => {
    const world = await registry();
    world.nextTx();
    const old = world.sign(
      world.request('keys:Register', ALICE, { publicKey: textOf(KEYS.alice), algorithm: 'ES256' }),
      KEYS.alice,
    );
    await contracts.keys.Register(world.as('platform1'), ...old);
    await world.registerKey('platform1', ALICE, KEYS.bob);
    world.nextTx();
    await expect(contracts.keys.Register(world.as('platform1'), ...old)).rejects.toThrow(
      `CONSENT_REPLAYED: request request-0001 of ${ALICE} has already run`,
    );
    expect(json(world.stub.state.get(key('transactionKey', ALICE)))).toMatchObject({
      keyId: keyIdOf(textOf(KEYS.bob)),
    });
  });

  it('refuses an expired registration and a request for another act', async () => {
    const world = await registry();
    world.nextTx();
    const params = { publicKey: textOf(KEYS.alice), algorithm: 'ES256' };
    const stale = world.request('keys:Register', ALICE, params, { expiresAt: world.isoIn(20) });
    await expect(
      contracts.keys.Register(world.as('platform1'), ...world.sign(stale, KEYS.alice)),
    ).rejects.toThrow('CONSENT_EXPIRED');
    const buy = world.request('trades:Buy', ALICE, {
      listingId: `L${'0'.repeat(32)}`,
      units: 1,
      pricePerUnit: 1,
    });
    await expect(
      contracts.keys.Register(world.as('platform1'), ...world.sign(buy, KEYS.alice)),
    ).rejects.toThrow(
      `CONSENT_ACTION_MISMATCH: request ${buy.requestId} of ${ALICE} was signed for trades:Buy, not keys:Register`,
    );
  });

  it('refuses an unregistered user', async () => {
    const world = await registry();
    const ghost = `U${'0'.repeat(32)}`;
    await expect(
      register(world, 'platform1', ghost, { publicKey: textOf(KEYS.alice) }, KEYS.alice),
    ).rejects.toThrow(`USER_NOT_FOUND: no user ${ghost} is registered`);
  });
});

describe('KeysContract.Get', () => {
  it("shows the user's current public key to every reader", async () => {
    const world = await registry();
    const registered = await world.registerKey('platform2', CAROL, KEYS.carol);
    for (const who of ['platform1', 'platform2', 'admin', 'auditor'] as const) {
      await expect(contracts.keys.Get(world.as(who), CAROL)).resolves.toEqual(registered);
    }
    await expect(contracts.keys.Get(world.as('nobody'), CAROL)).rejects.toThrow('FORBIDDEN');
  });

  it('fails KEY_NOT_SET before a key is registered', async () => {
    const world = await registry();
    await expect(contracts.keys.Get(world.as('platform1'), BOB)).rejects.toThrow(
      `KEY_NOT_SET: user ${BOB} has no transaction key; their platform registers one with keys:Register`,
    );
  });
});
