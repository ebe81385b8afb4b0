/*
 * R5, R8 and R9 under any interleaving of listings, purchases, offers,
 * cancellations, commitments, withdrawals, settlements and expiries, with
 * time moving on and some requests signed with a wrong key: units are
 * conserved per asset, every escrow is accounted for by an open listing,
 * campaign or offer, and each call either commits one event or fails having
 * written nothing.
 */
import * as fc from 'fast-check';
import { isChaincodeError } from '../values/errors';
import { assetIdFor, type ConsentAction, type ConsentParams, INDEX_ENTRY_VALUE } from '@crowdledger/protocol';
import type { FakeStub } from '../testing/fake-context';
import { makeTestPki, type TestPki } from '../testing/pki';
import { DAY, HOUR } from '../testing/trading';
import {
  ALICE,
  assetInput,
  BOB,
  CAROL,
  contracts,
  FUND,
  KEY_OF,
  KEYS,
  P2,
  type Who,
  World,
} from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

const USERS = [ALICE, BOB, CAROL] as const;
type UserId = (typeof USERS)[number];
const platformOf = (user: UserId): Who => (user === CAROL ? 'platform2' : 'platform1');
const SECOND = assetIdFor(P2, 'p2-fund');
const ASSETS = [FUND, SECOND] as const;

interface Act {
  readonly kind: (typeof KINDS)[number];
  readonly user: UserId;
  readonly other: UserId;
  readonly asset: (typeof ASSETS)[number];
  readonly units: number;
  readonly extra: number;
  /** Which listing or offer, modulo how many exist. */
  readonly pick: number;
  readonly wrongKey: boolean;
  readonly by: Who;
  /** Seconds the clock moves before this call. */
  readonly wait: number;
}

const KINDS = [
  'list',
  'campaign',
  'offer',
  'buy',
  'buy',
  'accept',
  'cancel',
  'cancelOffer',
  'commit',
  'commit',
  'commit',
  'withdraw',
  'withdraw',
  'settle',
  'settle',
  'expire',
  'expireOffer',
  'registerKey',
] as const;

const act: fc.Arbitrary<Act> = fc.record({
  kind: fc.constantFrom(...KINDS),
  user: fc.constantFrom(...USERS),
  other: fc.constantFrom(...USERS),
  asset: fc.constantFrom(...ASSETS),
  units: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 8 }) }, fc.integer({ min: 1, max: 70 })),
  extra: fc.integer({ min: 0, max: 10 }),
  pick: fc.nat(20),
  wrongKey: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, fc.constant(true)),
  by: fc.constantFrom<Who>('platform1', 'platform2', 'admin', 'auditor'),
  wait: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 * HOUR }) },
    { weight: 1, arbitrary: fc.integer({ min: DAY, max: 5 * DAY }) },
  ),
});

interface Ids {
  readonly fixed: string[];
  readonly campaigns: string[];
  readonly offers: string[];
}

function iso(stub: FakeStub, seconds: number): string {
  return new Date((stub.txSeconds + seconds) * 1000).toISOString();
}

type Context = ReturnType<World['as']>;

/** The user's platform relaying their request, signed by their key or, for a.wrongKey, by a stranger's. */
function signed<A extends ConsentAction>(
  world: World,
  a: Act,
  user: UserId,
  request: { readonly action: A; readonly params: ConsentParams<A> },
): [Context, string, string] {
  const key = a.wrongKey ? KEYS.stranger : KEY_OF[user];
  const [text, signature] = world.sign(world.request(request.action, user, request.params), key);
  return [world.as(platformOf(user)), text, signature];
}

/** A stored listing's or offer's number, or 1 when there is none (the call then fails as not found). */
function storedNumber(world: World, prefix: string, id: string, field: string): number {
  const bytes = world.stub.state.get(`\u0000${prefix}\u0000${id}\u0000`);
  const value =
    bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as Row)[field];
  return typeof value === 'number' ? value : 1;
}

function pick(ids: readonly string[], a: Act): string {
  return ids.length === 0 ? `L${'0'.repeat(32)}` : (ids[a.pick % ids.length] ?? '');
}

/** Bob holds only fund-1 and Carol only the second asset at first; Alice holds both. */
function heldAsset(a: Act): string {
  if (a.user === BOB) {
    return FUND;
  }
  return a.user === CAROL ? SECOND : a.asset;
}

async function create(world: World, raw: Act, ids: Ids): Promise<unknown> {
  const stub = world.stub;
  const a = { ...raw, asset: heldAsset(raw) };
  if (a.kind === 'list') {
    const params = {
      assetId: a.asset,
      units: a.units,
      pricePerUnit: 100 + a.extra,
      minPerBuyer: 1 + (a.extra % 3),
      maxPerBuyer: a.units + a.extra,
      expiresAt: iso(stub, (1 + a.extra) * DAY),
    };
    const result = await contracts.listings.Create(
      ...signed(world, a, a.user, { action: 'listings:Create', params }),
    );
    return remember(ids.fixed, result.listingId, result);
  }
  if (a.kind === 'campaign') {
    const target = Math.min(a.units, 1 + (a.extra % 4));
    const params = {
      assetId: a.asset,
      units: a.units,
      targetUnits: target,
      pricePerUnit: 50,
      minPerInvestor: 1,
      maxPerInvestor: a.units,
      deadline: iso(stub, 2 * DAY + (1 + a.extra) * 6 * HOUR),
    };
    const result = await contracts.campaigns.Create(
      ...signed(world, a, a.user, { action: 'campaigns:Create', params }),
    );
    return remember(ids.campaigns, result.listingId, result);
  }
  const params = {
    assetId: a.asset,
    buyerId: a.other,
    units: a.units,
    pricePerUnit: 70,
    expiresAt: iso(stub, (1 + a.extra) * HOUR * 12),
  };
  const result = await contracts.offers.Create(
    ...signed(world, a, a.user, { action: 'offers:Create', params }),
  );
  return remember(ids.offers, result.offerId, result);
}

/** The acting user, or another one when they are the listing's seller (SELF_TRADE has its own tests). */
async function buyerFor(world: World, listingId: string, a: Act): Promise<UserId> {
  const listing = await contracts.listings.Get(world.as('auditor'), listingId).catch(() => undefined);
  return [a.user, a.other, ...USERS].find((user) => user !== listing?.sellerId) ?? a.user;
}

function remember(ids: string[], id: string | undefined, result: unknown): unknown {
  if (id !== undefined) {
    ids.push(id);
  }
  return result;
}

interface Target {
  readonly world: World;
  readonly a: Act;
  readonly ids: Ids;
  readonly fixed: string;
  readonly campaign: string;
  readonly listing: string;
  readonly offer: string;
  readonly buyer: UserId;
}

async function accept({ world, a, offer }: Target): Promise<unknown> {
  const stored = await contracts.offers.Get(world.as('auditor'), offer).catch(() => undefined);
  const buyer = USERS.find((user) => user === stored?.buyerId) ?? a.user;
  const units = storedNumber(world, 'offer', offer, 'units');
  const pricePerUnit = storedNumber(world, 'offer', offer, 'pricePerUnit');
  const params = { offerId: offer, units, pricePerUnit };
  return contracts.offers.Accept(...signed(world, a, buyer, { action: 'offers:Accept', params }));
}

/** Buy and Commit: units at the listing's price. */
function purchase(t: Target, listingId: string): { listingId: string; units: number; pricePerUnit: number } {
  return {
    listingId,
    units: t.a.units,
    pricePerUnit: storedNumber(t.world, 'listing', listingId, 'pricePerUnit'),
  };
}

const HANDLERS: Record<(typeof KINDS)[number], (t: Target) => Promise<unknown>> = {
  list: (t) => create(t.world, t.a, t.ids),
  campaign: (t) => create(t.world, t.a, t.ids),
  offer: (t) => create(t.world, t.a, t.ids),
  buy: (t) =>
    contracts.trades.Buy(
      ...signed(t.world, t.a, t.buyer, { action: 'trades:Buy', params: purchase(t, t.fixed) }),
    ),
  accept,
  cancel: (t) =>
    contracts.listings.Cancel(
      ...signed(t.world, t.a, t.a.user, { action: 'listings:Cancel', params: { listingId: t.listing } }),
    ),
  cancelOffer: (t) =>
    contracts.offers.Cancel(
      ...signed(t.world, t.a, t.a.user, { action: 'offers:Cancel', params: { offerId: t.offer } }),
    ),
  commit: (t) =>
    contracts.campaigns.Commit(
      ...signed(t.world, t.a, t.buyer, { action: 'campaigns:Commit', params: purchase(t, t.campaign) }),
    ),
  withdraw: (t) =>
    contracts.campaigns.Withdraw(
      ...signed(t.world, t.a, t.buyer, { action: 'campaigns:Withdraw', params: { listingId: t.campaign } }),
    ),
  settle: (t) => contracts.campaigns.Settle(t.world.as(t.a.by), t.campaign),
  expire: (t) => contracts.listings.Expire(t.world.as(t.a.by), t.listing),
  expireOffer: (t) => contracts.offers.Expire(t.world.as(t.a.by), t.offer),
  registerKey: (t) => t.world.registerKey(platformOf(t.a.user), t.a.user, KEY_OF[t.a.user] ?? KEYS.stranger),
};

async function run(world: World, a: Act, ids: Ids): Promise<unknown> {
  const fixed = pick(ids.fixed, a);
  const campaign = pick(ids.campaigns, a);
  const target = {
    world,
    a,
    ids,
    fixed,
    campaign,
    listing: pick([...ids.fixed, ...ids.campaigns], a),
    offer: pick(ids.offers, a).replace(/^L/, 'O'),
    buyer: await buyerFor(world, a.kind === 'buy' ? fixed : campaign, a),
  };
  return HANDLERS[a.kind](target);
}

type Row = Record<string, unknown>;

function records(stub: FakeStub, prefix: string): Row[] {
  return [...stub.state.entries()]
    .filter(([k]) => k.startsWith(`\u0000${prefix}\u0000`))
    .map(([, value]) => JSON.parse(Buffer.from(value).toString('utf8')) as Row);
}

/** The attributes of every index entry under a prefix: an index holds no value but the marker. */
function indexEntries(stub: FakeStub, prefix: string): string[][] {
  return [...stub.state.entries()]
    .filter(([k]) => k.startsWith(`\u0000${prefix}\u0000`))
    .map(([k, value]) => {
      expect(Buffer.from(value).toString('utf8')).toBe(INDEX_ENTRY_VALUE);
      return stub.splitCompositeKey(k).attributes;
    });
}

const num = (row: Row, field: string): number => row[field] as number;

function checkUnits(stub: FakeStub): void {
  const holdings = records(stub, 'holding');
  for (const asset of records(stub, 'asset')) {
    const held = holdings.filter((h) => h['assetId'] === asset['assetId']);
    expect(held.reduce((sum, h) => sum + num(h, 'units'), 0)).toBe(num(asset, 'totalUnits'));
  }
  const indexed = indexEntries(stub, 'holdingByUser').map(
    ([userId, assetId]) => `${String(assetId)}/${String(userId)}`,
  );
  expect(indexed.sort()).toEqual(
    holdings.map((h) => `${String(h['assetId'])}/${String(h['userId'])}`).sort(),
  );
}

/** Every escrowed unit belongs to an open listing, campaign or offer of that seller and asset. */
function checkEscrow(stub: FakeStub): void {
  const owed = new Map<string, number>();
  const add = (assetId: unknown, sellerId: unknown, units: number): void => {
    const k = `${String(assetId)}/${String(sellerId)}`;
    owed.set(k, (owed.get(k) ?? 0) + units);
  };
  for (const l of records(stub, 'listing').filter((row) => row['status'] === 'OPEN')) {
    // A campaign's escrow is what it has not allocated yet: all its units until settlement.
    add(l['assetId'], l['sellerId'], num(l, 'remaining'));
  }
  for (const o of records(stub, 'offer').filter((row) => row['status'] === 'OPEN')) {
    add(o['assetId'], o['sellerId'], num(o, 'units'));
  }
  for (const h of records(stub, 'holding')) {
    const k = `${String(h['assetId'])}/${String(h['userId'])}`;
    expect(num(h, 'escrowed')).toBeGreaterThanOrEqual(0);
    expect(num(h, 'escrowed')).toBeLessThanOrEqual(num(h, 'units'));
    // free = what no open listing, campaign or offer holds; free + escrowed = units.
    const free = num(h, 'units') - (owed.get(k) ?? 0);
    expect(free).toBeGreaterThanOrEqual(0);
    expect(free + num(h, 'escrowed')).toBe(num(h, 'units'));
    owed.delete(k);
  }
  expect([...owed.entries()].filter(([, units]) => units > 0)).toEqual([]);
}

function checkListings(stub: FakeStub): void {
  const commitments = records(stub, 'commitment');
  const open = indexEntries(stub, 'openListing').map(([listingId]) => listingId);
  const listings = records(stub, 'listing');
  expect(open.sort()).toEqual(
    listings
      .filter((l) => l['status'] === 'OPEN')
      .map((l) => l['listingId'])
      .sort(),
  );
  for (const l of listings) {
    expect(num(l, 'remaining')).toBeGreaterThanOrEqual(0);
    expect(num(l, 'remaining')).toBeLessThanOrEqual(num(l, 'units'));
    const mine = commitments.filter((c) => c['listingId'] === l['listingId']);
    if (l['kind'] === 'FIXED') {
      expect(l['status'] === 'CLOSED').toBe(num(l, 'remaining') === 0);
    } else if (l['status'] === 'OPEN') {
      // Commitments write only themselves: the campaign keeps all its units until settlement.
      expect(mine.every((c) => c['allocatedUnits'] === undefined)).toBe(true);
      expect([num(l, 'remaining'), num(l, 'investors')]).toEqual([num(l, 'units'), 0]);
    } else if (l['status'] === 'CANCELLED') {
      expect(mine).toEqual([]);
    } else {
      checkSettled(l, mine);
    }
  }
}

/** A settled campaign: every commitment has its outcome, and units and fen add up. */
function checkSettled(l: Row, mine: readonly Row[]): void {
  expect(mine).toHaveLength(num(l, 'investors'));
  const allocated = mine.reduce((sum, c) => sum + num(c, 'allocatedUnits'), 0);
  expect(allocated).toBe(num(l, 'units') - num(l, 'remaining'));
  for (const c of mine) {
    expect(num(c, 'allocatedUnits')).toBeLessThanOrEqual(num(c, 'units'));
    expect(num(c, 'amount') + num(c, 'refund')).toBe(num(c, 'units') * num(l, 'pricePerUnit'));
    if (l['status'] === 'FAILED') {
      expect(num(c, 'allocatedUnits')).toBe(0);
    }
  }
}

async function start(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  await world.registerAsset(
    'platform2',
    assetInput({
      assetRef: 'p2-fund',
      totalUnits: 50,
      holders: [
        { userId: CAROL, units: 30 },
        { userId: ALICE, units: 20 },
      ],
    }),
  );
  return world;
}

/** Asserts what the step left behind; returns what happened, for the coverage count. */
function checkStep(stub: FakeStub, before: { writes: number; events: number }, outcome: unknown): string {
  const writes = stub.writes.slice(before.writes);
  const events = stub.events.slice(before.events).map((e) => e.name);
  if (outcome instanceof Error) {
    expect(isChaincodeError(outcome)).toBe(true);
    expect(writes).toEqual([]);
    expect(events).toEqual([]);
    return `failed ${(outcome as { code?: string }).code ?? outcome.message}`;
  }
  expect(events).toHaveLength(1);
  const event = stub.events.at(-1);
  if (event?.name === 'CampaignSettled') {
    const { listing } = JSON.parse(Buffer.from(event.payload).toString('utf8')) as { listing: Row };
    return `CampaignSettled ${String(listing['status'])}`;
  }
  return events[0] ?? '';
}

async function play(acts: readonly Act[], seen?: Map<string, number>): Promise<void> {
  const world = await start();
  const ids: Ids = { fixed: [], campaigns: [], offers: [] };
  for (const a of acts) {
    world.nextTx(a.wait);
    const before = { writes: world.stub.writes.length, events: world.stub.events.length };
    const outcome = await run(world, a, ids).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
    const what = checkStep(world.stub, before, outcome);
    seen?.set(what, (seen.get(what) ?? 0) + 1);
    checkUnits(world.stub);
    checkEscrow(world.stub);
    checkListings(world.stub);
  }
}

// Listings, campaigns and offers first, so later acts have something to act on.
const creation: fc.Arbitrary<Act> = fc
  .tuple(act, fc.constantFrom('list', 'campaign', 'offer'))
  .map(([a, kind]) => ({ ...a, kind }));

// A listing and a campaign first, then any mix.
const script = fc
  .tuple(
    creation.map((a) => ({ ...a, kind: 'list' as const })),
    creation.map((a) => ({ ...a, kind: 'campaign' as const })),
    fc.array(creation, { maxLength: 3 }),
    fc.array(act, { minLength: 5, maxLength: 35 }),
  )
  .map(([list, campaign, more, rest]) => [list, campaign, ...more, ...rest]);

describe('trading in any order', () => {
  it('conserves units, accounts for every escrowed unit and commits one event per success', async () => {
    await fc.assert(
      fc.asyncProperty(script, (acts) => play(acts)),
      { numRuns: 80 },
    );
  }, 60_000);

  it('reaches trades, settlements, forged requests and expiries, so the property is not vacuous', async () => {
    const seen = new Map<string, number>();
    for (const acts of fc.sample(script, { numRuns: 120, seed: 7 })) {
      await play(acts, seen);
    }
    const wanted = [
      'TradeExecuted',
      'CampaignSettled SUCCEEDED',
      'CampaignSettled FAILED',
      'CommitmentMade',
      'CommitmentWithdrawn',
      'ListingCancelled',
      'ListingExpired',
      'OfferCancelled',
      'OfferExpired',
      'failed CONSENT_SIGNATURE_INVALID',
      'failed',
    ];
    const reached = new Set([
      ...seen.keys(),
      ...[...seen.keys()].filter((what) => what.startsWith('failed')).map(() => 'failed'),
    ]);
    expect(wanted.filter((what) => !reached.has(what))).toEqual([]);
  }, 60_000);
});
