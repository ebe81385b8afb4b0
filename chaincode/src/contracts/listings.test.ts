import { createHash } from 'node:crypto';
import type { Listing } from '../model/listing';
import { assetIdFor, consentText, INDEX_ENTRY_VALUE, listingIdFor } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  act,
  type ActOptions,
  createListing,
  DAY,
  holding,
  isoIn,
  json,
  key,
  listingInput,
  split,
  storedListing,
  storedText,
  WINDOW,
} from '../testing/trading';
import {
  ALICE,
  assetInput,
  BOB,
  CAROL,
  contracts,
  FUND,
  HOLDER_CERTS,
  KEYS,
  P1,
  P2,
  World,
} from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

async function trading(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

const create = createListing;

async function listed(world: World, overrides: Record<string, unknown> = {}): Promise<string> {
  const listing = await create(world, listingInput(world.stub, overrides));
  return listing.listingId;
}

async function cancel(world: World, listingId: string, options: ActOptions = {}): Promise<Listing> {
  return act(world, 'listings:Cancel', ALICE, { listingId }, options);
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
    expect(result).toEqual(listing);
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

  it("takes the listing's terms from the seller's signed request and nowhere else", async () => {
    const world = await trading();
    world.nextTx();
    const [, params] = split<'listings:Create'>(listingInput(world.stub, { units: 4 }));
    const request = world.request('listings:Create', ALICE, params);
    const [text, signature] = world.sign(request);
    const writes = world.stub.writes.length;
    const altered = text.replace('"units":4', '"units":40');
    await expect(contracts.listings.Create(world.as('platform1'), altered, signature)).rejects.toThrow(
      /^CONSENT_SIGNATURE_INVALID: /,
    );
    expect(world.stub.writes).toHaveLength(writes);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 0 });
    await expect(contracts.listings.Create(world.as('platform1'), text, signature)).resolves.toMatchObject({
      units: 4,
    });
    expect(consentText(request)).toBe(text);
  });

  it("refuses a listing signed by someone other than the seller's key, and writes nothing", async () => {
    const world = await trading();
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    await expect(create(world, listingInput(world.stub), { key: KEYS.bob })).rejects.toThrow(
      `CONSENT_SIGNATURE_INVALID: request request-0004 is not signed by the transaction key`,
    );
    expect(world.stub.writes).toHaveLength(writes);
    expect(world.stub.events).toHaveLength(events);
  });

  it.each([
    ['another platform', 'platform2', `FORBIDDEN: only ${P1} may act for ${ALICE}`],
    ['the admin', 'admin', 'FORBIDDEN: only a platform identity'],
    ['an auditor', 'auditor', 'FORBIDDEN: only a platform identity'],
  ] as const)('refuses %s acting for the seller', async (_case, who, message) => {
    const world = await trading();
    const writes = world.stub.writes.length;
    await expect(create(world, listingInput(world.stub), { as: who })).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it.each([
    [
      'a past expiresAt',
      { expiresAt: '2020-01-01T00:00:00.000Z' },
      'INVALID_ARGUMENT: params.expiresAt must be after the transaction time',
    ],
    [
      'an expiresAt in another form',
      { expiresAt: '2099-01-01' },
      'INVALID_ARGUMENT: params.expiresAt must be an ISO-8601 UTC instant',
    ],
    [
      'a fractional price',
      { pricePerUnit: 1.5 },
      'INVALID_ARGUMENT: params.pricePerUnit must be a whole number of minor units (fen)',
    ],
    ['a zero price', { pricePerUnit: 0 }, 'INVALID_ARGUMENT: params.pricePerUnit'],
    [
      'a price as a string',
      { pricePerUnit: '100' },
      'CONSENT_MALFORMED: the signed request cannot be read: params.pricePerUnit of listings:Create must be a number',
    ],
    [
      'an impossible date',
      { expiresAt: '2099-02-30T00:00:00.000Z' },
      'INVALID_ARGUMENT: params.expiresAt must be an ISO-8601 UTC instant',
    ],
    [
      'an amount past MAX_SAFE_INTEGER',
      { pricePerUnit: 2 ** 50 },
      `INVALID_ARGUMENT: params: 10 units at ${String(2 ** 50)} fen come to`,
    ],
    ['zero units', { units: 0 }, 'UNITS_INVALID: params.units'],
    [
      'min above max',
      { minPerBuyer: 5, maxPerBuyer: 4 },
      'INVALID_ARGUMENT: params.minPerBuyer must be at most params.maxPerBuyer',
    ],
    ['min above units', { minPerBuyer: 11, maxPerBuyer: 20 }, 'INVALID_ARGUMENT: params.minPerBuyer'],
    [
      'an unknown field',
      { note: 'x' },
      'CONSENT_MALFORMED: the signed request cannot be read: params of listings:Create must be an object of exactly',
    ],
    [
      'a bad seller ID',
      { sellerId: 'alice' },
      'CONSENT_MALFORMED: the signed request cannot be read: userId',
    ],
  ])('refuses %s and writes nothing', async (_case, overrides, message) => {
    const world = await trading();
    const writes = world.stub.writes.length;
    await expect(create(world, listingInput(world.stub, overrides))).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('refuses JSON numbers that only look whole, such as 1e1: the request is not canonical', async () => {
    const world = await trading();
    world.nextTx();
    const [, params] = split<'listings:Create'>(listingInput(world.stub));
    const [text, signature] = world.sign(world.request('listings:Create', ALICE, params));
    await expect(
      contracts.listings.Create(world.as('platform1'), text.replace('"units":10', '"units":1e1'), signature),
    ).rejects.toThrow(
      'CONSENT_MALFORMED: the signed request cannot be read: the request is not in canonical form',
    );
  });

  it('fails NOT_HOLDER, ASSET_NOT_FOUND and KEY_NOT_SET as such', async () => {
    const world = await trading();
    await expect(create(world, listingInput(world.stub, { sellerId: CAROL }))).rejects.toThrow(
      `NOT_HOLDER: user ${CAROL} holds no units of ${FUND}`,
    );
    const ghost = assetIdFor(P1, 'ghost');
    await expect(create(world, listingInput(world.stub, { assetId: ghost }))).rejects.toThrow(
      `ASSET_NOT_FOUND: no asset ${ghost} is registered`,
    );
    const fresh = new World(pki);
    await fresh.populate();
    await expect(create(fresh, listingInput(fresh.stub, { sellerId: BOB }))).rejects.toThrow(
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
    expect(result).toMatchObject({ listingId, status: 'CANCELLED', remaining: 10 });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 60, escrowed: 0 });
    expect(world.stub.state.has(key('openListing', listingId))).toBe(false);
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['ListingCancelled']);
    expect(json(world.stub.events.at(-1)?.payload)).toEqual(storedListing(world.stub, listingId));
  });

  it("refuses Bob's signed cancel of Alice's listing, and another user's key on Alice's request", async () => {
    const world = await trading();
    const listingId = await listed(world);
    const writes = world.stub.writes.length;
    await expect(act(world, 'listings:Cancel', BOB, { listingId })).rejects.toThrow(
      `CONSENT_USER_MISMATCH: request request-0005 is signed by ${BOB}, but listing ${listingId} is ${ALICE}'s`,
    );
    await expect(cancel(world, listingId, { key: KEYS.bob })).rejects.toThrow('CONSENT_SIGNATURE_INVALID');
    expect(world.stub.writes).toHaveLength(writes);
    expect(storedListing(world.stub, listingId)).toMatchObject({ status: 'OPEN' });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 10 });
  });

  it('refuses another platform, a closed listing and an unknown one', async () => {
    const world = await trading();
    const listingId = await listed(world);
    await expect(cancel(world, listingId, { as: 'platform2' })).rejects.toThrow(
      `FORBIDDEN: only ${P1} may act for ${ALICE}`,
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
  it('fails NOT_EXPIRED until one time window after expiresAt, then releases the escrow for any platform', async () => {
    const world = await trading();
    const expiresAt = isoIn(world.stub, DAY);
    const listingId = await listed(world, { expiresAt });
    world.nextTx();
    await expect(contracts.listings.Expire(world.as('platform2'), listingId)).rejects.toThrow(
      `NOT_EXPIRED: listing ${listingId} expires at`,
    );
    // Past expiresAt, but a proposal dated inside the window may be early by the peers' clocks.
    world.stub.txSeconds = Date.parse(expiresAt) / 1000 + WINDOW - 1;
    await expect(contracts.listings.Expire(world.as('platform2'), listingId)).rejects.toThrow(
      `NOT_EXPIRED: listing ${listingId} expires at ${expiresAt}; it can be expired from ${isoIn(world.stub, 1)}, one proposal time window later`,
    );
    world.nextTx();
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
    world.nextTx(2 * DAY + WINDOW);
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
    const carols = await create(world, listingInput(world.stub, { assetId: carolsAsset, sellerId: CAROL }));
    await cancel(world, first);
    const page = await contracts.listings.Open(world.as('auditor'), '1', '');
    const next = await contracts.listings.Open(world.as('auditor'), '1', page.bookmark);
    const ids = [...page.records, ...next.records].map((listing) => listing.listingId).sort();
    expect(ids).toEqual([second, carols.listingId].sort());
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
