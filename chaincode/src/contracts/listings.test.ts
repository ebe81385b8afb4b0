import { createHash } from 'node:crypto';
import type { ListingResult } from '../model/listing-result';
import { assetIdFor, INDEX_ENTRY_VALUE, listingIdFor } from '@crowdledger/protocol';
import { useKdfParameters } from '../rules/transaction-keys';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  DAY,
  holding,
  isoIn,
  json,
  key,
  listingInput,
  publicTexts,
  storedListing,
  storedText,
} from '../testing/trading';
import {
  ALICE,
  assetInput,
  BOB,
  CAROL,
  CHEAP_KDF,
  contracts,
  FUND,
  HOLDER_CERTS,
  KEYS,
  P1,
  P2,
  type Who,
  World,
} from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
  useKdfParameters(CHEAP_KDF);
});

async function trading(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

async function create(
  world: World,
  input: Record<string, unknown>,
  presented: string = KEYS.alice,
  who: Who = 'platform1',
): Promise<ListingResult> {
  world.nextTx();
  world.useKey(presented);
  return contracts.listings.Create(world.as(who), JSON.stringify(input));
}

async function listed(world: World, overrides: Record<string, unknown> = {}): Promise<string> {
  const result = await create(world, listingInput(world.stub, overrides));
  if (result.listing === undefined) {
    throw new Error(`listing refused: ${String(result.sentence)}`);
  }
  return result.listing.listingId;
}

async function cancel(
  world: World,
  listingId: string,
  presented: string = KEYS.alice,
): Promise<ListingResult> {
  world.nextTx();
  world.useKey(presented);
  return contracts.listings.Cancel(world.as('platform1'), listingId);
}

describe('ListingsContract.Create', () => {
  it('escrows the units, stores the listing and its open index entry, and returns OK', async () => {
    const world = await trading();
    const input = listingInput(world.stub);
    const result = await create(world, input);
    const listingId = `L${createHash('sha256').update(world.stub.txId).digest('hex').slice(0, 32)}`;
    const listing = {
      listingId,
      kind: 'FIXED',
      assetId: FUND,
      sellerId: ALICE,
      sellerPlatform: P1,
      units: 10,
      remaining: 10,
      pricePerUnit: 15_000,
      minPerBuyer: 1,
      maxPerBuyer: 10,
      expiresAt: input['expiresAt'],
      status: 'OPEN',
      createdAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    };
    expect(result).toEqual({ outcome: 'OK', listing });
    expect(listingIdFor(world.stub.txId)).toBe(listingId);
    expect(storedListing(world.stub, listingId)).toEqual(listing);
    expect(storedText(world.stub.state.get(key('openListing', listingId)))).toBe(INDEX_ENTRY_VALUE);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 60, escrowed: 10 });
  });

  it('emits one ListingCreated event carrying the whole listing, as stored', async () => {
    const world = await trading();
    const before = world.stub.events.length;
    const listingId = await listed(world);
    expect(world.stub.events.slice(before).map((e) => e.name)).toEqual(['ListingCreated']);
    expect(world.stub.events.at(-1)?.payload).toEqual(world.stub.state.get(key('listing', listingId)));
  });

  it('names the free units and the request when the seller has too few', async () => {
    const world = await trading();
    await listed(world, { units: 50, maxPerBuyer: 50 });
    await expect(create(world, listingInput(world.stub, { units: 12 }))).rejects.toThrow(
      `INSUFFICIENT_UNITS: seller ${ALICE} holds 10 free units of ${FUND}, 12 requested`,
    );
  });

  it('refuses a wrong key as a committed outcome: only the failure count is written', async () => {
    const world = await trading();
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    const result = await create(world, listingInput(world.stub), 'not-alices-key');
    expect(result).toEqual({
      outcome: 'REFUSED',
      code: 'BAD_TRANSACTION_KEY',
      sentence: `the transaction key for ${ALICE} is wrong (1 of 5 wrong keys in a row); nothing else was done`,
    });
    expect(world.stub.writes.slice(writes)).toEqual([
      expect.objectContaining({ collection: `${P1}Private`, key: key('transactionKey', ALICE) }),
    ]);
    expect(world.stub.events.slice(events).map((e) => [e.name, json(e.payload)])).toEqual([
      ['TransactionKeyRefused', { userId: ALICE, failures: 1, locked: false }],
    ]);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 0 });
    expect(publicTexts(world.stub).some((text) => text.includes('not-alices-key'))).toBe(false);
  });

  it('locks at the fifth wrong key in a row, and a right key in between resets the count', async () => {
    const world = await trading();
    for (let i = 0; i < 4; i += 1) {
      await create(world, listingInput(world.stub, { units: 1 }), 'wrong');
    }
    await expect(create(world, listingInput(world.stub, { units: 1 }))).resolves.toMatchObject({
      outcome: 'OK',
    });
    const counts: unknown[] = [];
    for (let i = 0; i < 6; i += 1) {
      const result = await create(world, listingInput(world.stub, { units: 1 }), 'wrong');
      counts.push([result.code, json(world.stub.events.at(-1)?.payload)]);
    }
    expect(counts).toEqual([
      ['BAD_TRANSACTION_KEY', { userId: ALICE, failures: 1, locked: false }],
      ['BAD_TRANSACTION_KEY', { userId: ALICE, failures: 2, locked: false }],
      ['BAD_TRANSACTION_KEY', { userId: ALICE, failures: 3, locked: false }],
      ['BAD_TRANSACTION_KEY', { userId: ALICE, failures: 4, locked: false }],
      ['BAD_TRANSACTION_KEY', { userId: ALICE, failures: 5, locked: true }],
      ['LOCKED', { userId: ALICE, failures: 5, locked: true }],
    ]);
    const writes = world.stub.writes.length;
    await expect(create(world, listingInput(world.stub, { units: 1 }))).resolves.toMatchObject({
      outcome: 'REFUSED',
      code: 'LOCKED',
      sentence: `trading for ${ALICE} is locked after 5 wrong transaction keys in a row, until their platform sets a new key with keys:Set`,
    });
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('writes the cleared count only when there was one to clear', async () => {
    const world = await trading();
    await create(world, listingInput(world.stub, { units: 1 }), 'wrong');
    let writes = world.stub.writes.length;
    await create(world, listingInput(world.stub, { units: 1 }));
    expect(world.stub.writes.slice(writes).map((w) => w.collection)).toEqual([`${P1}Private`, '', '', '']);
    writes = world.stub.writes.length;
    await create(world, listingInput(world.stub, { units: 1 }));
    expect(world.stub.writes.slice(writes).map((w) => w.collection)).toEqual(['', '', '']);
  });

  it.each([
    ['another platform', 'platform2', `FORBIDDEN: only ${P1} may sell units of ${ALICE}`],
    ['the admin', 'admin', 'FORBIDDEN: only a platform identity'],
    ['an auditor', 'auditor', 'FORBIDDEN: only a platform identity'],
  ] as const)('refuses %s acting for the seller', async (_case, who, message) => {
    const world = await trading();
    const writes = world.stub.writes.length;
    await expect(create(world, listingInput(world.stub), KEYS.alice, who)).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it.each([
    [
      'a past expiresAt',
      { expiresAt: '2020-01-01T00:00:00.000Z' },
      'INVALID_ARGUMENT: listingJson.expiresAt must be after the transaction time',
    ],
    [
      'an expiresAt in another form',
      { expiresAt: '2099-01-01' },
      'INVALID_ARGUMENT: listingJson.expiresAt must be an ISO-8601 UTC instant',
    ],
    [
      'a fractional price',
      { pricePerUnit: 1.5 },
      'INVALID_ARGUMENT: listingJson.pricePerUnit must be a whole number of minor units (fen)',
    ],
    ['a zero price', { pricePerUnit: 0 }, 'INVALID_ARGUMENT: listingJson.pricePerUnit'],
    ['a price as a string', { pricePerUnit: '100' }, 'INVALID_ARGUMENT: listingJson.pricePerUnit'],
    [
      'an amount past MAX_SAFE_INTEGER',
      { pricePerUnit: 2 ** 50 },
      `INVALID_ARGUMENT: listingJson: 10 units at ${String(2 ** 50)} fen come to`,
    ],
    ['units as 1e1', { units: '1e1' }, 'UNITS_INVALID: listingJson.units'],
    ['zero units', { units: 0 }, 'UNITS_INVALID: listingJson.units'],
    [
      'min above max',
      { minPerBuyer: 5, maxPerBuyer: 4 },
      'INVALID_ARGUMENT: listingJson.minPerBuyer must be at most listingJson.maxPerBuyer',
    ],
    ['min above units', { minPerBuyer: 11, maxPerBuyer: 20 }, 'INVALID_ARGUMENT: listingJson.minPerBuyer'],
    ['an unknown field', { note: 'x' }, 'INVALID_ARGUMENT: listingJson has an unknown field note'],
    ['a bad seller ID', { sellerId: 'alice' }, 'INVALID_ARGUMENT: listingJson.sellerId must be a user ID'],
  ])('refuses %s and writes nothing', async (_case, overrides, message) => {
    const world = await trading();
    const writes = world.stub.writes.length;
    await expect(create(world, listingInput(world.stub, overrides))).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('refuses JSON numbers that only look whole, such as 1e1', async () => {
    const world = await trading();
    world.nextTx();
    world.useKey(KEYS.alice);
    const text = JSON.stringify(listingInput(world.stub)).replace('"units":10', '"units":1e1');
    await expect(contracts.listings.Create(world.as('platform1'), text)).rejects.toThrow('UNITS_INVALID');
  });

  it('fails NOT_HOLDER, ASSET_NOT_FOUND, KEY_NOT_SET and TRANSIENT_MISSING as such', async () => {
    const world = await trading();
    await expect(
      create(world, listingInput(world.stub, { sellerId: CAROL }), KEYS.carol, 'platform2'),
    ).rejects.toThrow(`NOT_HOLDER: user ${CAROL} holds no units of ${FUND}`);
    const ghost = assetIdFor(P1, 'ghost');
    await expect(create(world, listingInput(world.stub, { assetId: ghost }))).rejects.toThrow(
      `ASSET_NOT_FOUND: no asset ${ghost} is registered`,
    );
    world.useKey(undefined);
    await expect(
      contracts.listings.Create(world.as('platform1'), JSON.stringify(listingInput(world.stub))),
    ).rejects.toThrow('TRANSIENT_MISSING: transient field key is required');
    const fresh = new World(pki);
    await fresh.populate();
    await expect(create(fresh, listingInput(fresh.stub, { sellerId: BOB }), KEYS.bob)).rejects.toThrow(
      `KEY_NOT_SET: user ${BOB} has no transaction key`,
    );
  });
});

describe('ListingsContract.Cancel', () => {
  it('releases what is left in escrow and leaves the open listings', async () => {
    const world = await trading();
    const listingId = await listed(world);
    const events = world.stub.events.length;
    const result = await cancel(world, listingId);
    expect(result).toMatchObject({
      outcome: 'OK',
      listing: { listingId, status: 'CANCELLED', remaining: 10 },
    });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 60, escrowed: 0 });
    expect(world.stub.state.has(key('openListing', listingId))).toBe(false);
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['ListingCancelled']);
    expect(json(world.stub.events.at(-1)?.payload)).toEqual(storedListing(world.stub, listingId));
  });

  it('refuses a wrong key and keeps the listing open', async () => {
    const world = await trading();
    const listingId = await listed(world);
    await expect(cancel(world, listingId, 'wrong')).resolves.toMatchObject({ code: 'BAD_TRANSACTION_KEY' });
    expect(storedListing(world.stub, listingId)).toMatchObject({ status: 'OPEN' });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 10 });
  });

  it('refuses another platform, a closed listing and an unknown one', async () => {
    const world = await trading();
    const listingId = await listed(world);
    world.useKey(KEYS.alice);
    await expect(contracts.listings.Cancel(world.as('platform2'), listingId)).rejects.toThrow(
      `FORBIDDEN: only ${P1} may cancel listings of ${ALICE}`,
    );
    await cancel(world, listingId);
    await expect(cancel(world, listingId)).rejects.toThrow(
      `LISTING_CLOSED: listing ${listingId} is CANCELLED`,
    );
    const unknown = listingIdFor('nothing');
    await expect(cancel(world, unknown)).rejects.toThrow(`LISTING_NOT_FOUND: no listing ${unknown} exists`);
  });
});

describe('ListingsContract.Expire', () => {
  it('fails NOT_EXPIRED before expiresAt, then releases the escrow for any platform', async () => {
    const world = await trading();
    const listingId = await listed(world, { expiresAt: isoIn(world.stub, DAY) });
    world.nextTx();
    await expect(contracts.listings.Expire(world.as('platform2'), listingId)).rejects.toThrow(
      `NOT_EXPIRED: listing ${listingId} expires at`,
    );
    world.nextTx(DAY);
    const events = world.stub.events.length;
    const expired = await contracts.listings.Expire(world.as('platform2'), listingId);
    expect(expired).toMatchObject({ status: 'EXPIRED', remaining: 10 });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 0 });
    expect(world.stub.state.has(key('openListing', listingId))).toBe(false);
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['ListingExpired']);
    await expect(contracts.listings.Expire(world.as('admin'), listingId)).rejects.toThrow('LISTING_CLOSED');
  });

  it("refuses another platform's early Expire and writes nothing: the escrow stays put", async () => {
    const world = await trading();
    const listingId = await listed(world, { expiresAt: isoIn(world.stub, DAY) });
    world.nextTx(DAY / 2);
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    await expect(contracts.listings.Expire(world.as('platform2'), listingId)).rejects.toThrow(
      /^NOT_EXPIRED: /,
    );
    expect(world.stub.writes).toHaveLength(writes);
    expect(world.stub.events).toHaveLength(events);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 10 });
    expect(world.stub.state.has(key('openListing', listingId))).toBe(true);
  });

  it('lets the admin expire, and refuses auditors', async () => {
    const world = await trading();
    const listingId = await listed(world, { expiresAt: isoIn(world.stub, DAY) });
    world.nextTx(2 * DAY);
    await expect(contracts.listings.Expire(world.as('auditor'), listingId)).rejects.toThrow('FORBIDDEN');
    await expect(contracts.listings.Expire(world.as('admin'), listingId)).resolves.toMatchObject({
      status: 'EXPIRED',
    });
  });
});

describe('ListingsContract.Get and Open', () => {
  it('pages through the open listings of every platform and drops closed ones', async () => {
    const world = await trading();
    await world.registerAsset(
      'platform2',
      assetInput({ assetRef: 'p2-fund', totalUnits: 10, holders: [{ userId: CAROL, units: 10 }] }),
    );
    const carolsAsset = assetIdFor(P2, 'p2-fund');
    const first = await listed(world);
    const second = await listed(world, { units: 5, maxPerBuyer: 5 });
    const carols = await create(
      world,
      listingInput(world.stub, { assetId: carolsAsset, sellerId: CAROL }),
      KEYS.carol,
      'platform2',
    );
    await cancel(world, first);
    const page = await contracts.listings.Open(world.as('auditor'), '1', '');
    const next = await contracts.listings.Open(world.as('auditor'), '1', page.bookmark);
    const ids = [...page.records, ...next.records].map((listing) => listing.listingId).sort();
    expect(ids).toEqual([second, carols.listing?.listingId].sort());
    expect(next.bookmark).toBe('');
    await expect(contracts.listings.Open(world.as('platform1'), '10', key('holding'))).rejects.toThrow(
      'INVALID_ARGUMENT: bookmark does not belong to this query',
    );
    await expect(contracts.listings.Get(world.as('platform2'), second)).resolves.toMatchObject({ units: 5 });
    await expect(contracts.listings.Get(world.as('platform2'), 'L1')).rejects.toThrow(
      'INVALID_ARGUMENT: listingId',
    );
    await expect(contracts.listings.Get(world.as({ holder: 'alice' }), second)).rejects.toThrow('FORBIDDEN');
  });
});
