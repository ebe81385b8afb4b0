/*
 * R13: a platform that makes another platform's user a holder only grants
 * the units; the holding is PENDING until the holder's own platform accepts
 * it (or declines it, and the units leave the asset). Every refusal here is
 * the attack it stops, and checks that nothing was written.
 */
import { INDEX_ENTRY_VALUE, KeyPrefix } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  accept,
  buy,
  campaignInput,
  commit,
  createCampaign,
  createListing,
  createOffer,
  holding,
  json,
  key,
  listingInput,
  offerInput,
  storedText,
  DAY,
} from '../testing/trading';
import {
  ALICE,
  assetInput,
  BOB,
  CAROL,
  contracts,
  DETAILS,
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
});

const pendingKey = (userId: string): string => key(KeyPrefix.pendingHolding, P2, FUND, userId);

/** fund-1 registered by Platform1 for Alice (60, its own user) and Carol (40, Platform2's). */
async function pendingWorld(): Promise<World> {
  const world = new World(pki);
  await world.setAssetCa();
  await world.registerUser('platform1', 'alice', DETAILS.alice);
  await world.registerUser('platform1', 'bob', DETAILS.bob);
  await world.registerUser('platform2', 'carol', DETAILS.carol);
  const holders = [
    { userId: ALICE, units: 60 },
    { userId: CAROL, units: 40 },
  ];
  await world.registerAsset('platform1', assetInput({ holders }));
  await world.registerKey('platform1', ALICE, KEYS.alice);
  await world.registerKey('platform1', BOB, KEYS.bob);
  await world.registerKey('platform2', CAROL, KEYS.carol);
  return world;
}

/** The asset's total and the sum of its holdings now, pending ones included. */
async function unitsOf(world: World): Promise<{ total: number; held: number }> {
  const asset = await contracts.assets.Get(world.as('auditor'), FUND);
  const page = await contracts.assets.Holders(world.as('auditor'), FUND, '100', '');
  return { total: asset.totalUnits, held: page.records.reduce((sum, h) => sum + h.units, 0) };
}

async function expectNothingWritten(
  world: World,
  call: () => Promise<unknown>,
  message: RegExp,
): Promise<void> {
  const writes = world.stub.writes.length;
  const events = world.stub.events.length;
  await expect(call()).rejects.toThrow(message);
  expect(world.stub.writes).toHaveLength(writes);
  expect(world.stub.events).toHaveLength(events);
}

describe('a holding granted to another platform’s user', () => {
  it('is PENDING, listed for the holder’s platform, and counted in the total', async () => {
    const world = await pendingWorld();
    expect(holding(world.stub, FUND, CAROL)?.certificate).toBe('PENDING');
    expect(holding(world.stub, FUND, ALICE)?.certificate).toBe('DUE');
    expect(storedText(world.stub.state.get(pendingKey(CAROL)))).toBe(INDEX_ENTRY_VALUE);
    expect(world.stub.state.has(pendingKey(ALICE))).toBe(false);
    expect(await unitsOf(world)).toEqual({ total: 100, held: 100 });
  });

  it('is announced in AssetRegistered with its platform, pending and no certificate due', async () => {
    const world = await pendingWorld();
    const registered = world.stub.events.find((e) => e.name === 'AssetRegistered');
    expect(json(registered?.payload)).toMatchObject({
      holders: [
        { userId: ALICE, platform: P1, units: 60, certificateDue: true, pending: false },
        { userId: CAROL, platform: P2, units: 40, certificateDue: false, pending: true },
      ].sort((a, b) => (a.userId < b.userId ? -1 : 1)),
    });
  });

  it('is what PendingHoldings lists for the holder’s platform, and only for it', async () => {
    const world = await pendingWorld();
    const forP2 = await contracts.assets.PendingHoldings(world.as('platform2'), P2, '10', '');
    expect(forP2.records.map((h) => [h.assetId, h.userId, h.units, h.certificate])).toEqual([
      [FUND, CAROL, 40, 'PENDING'],
    ]);
    const forP1 = await contracts.assets.PendingHoldings(world.as('auditor'), P1, '10', '');
    expect(forP1.records).toEqual([]);
    expect(world.stub.openIterators).toBe(0);
  });

  it('shows as PENDING in the holder’s portfolio', async () => {
    const world = await pendingWorld();
    const portfolio = await contracts.users.Portfolio(world.as('platform2'), CAROL);
    expect(portfolio.holdings.map((h) => h.certificate)).toEqual(['PENDING']);
  });
});

describe('while pending', () => {
  it('no certificate can be recorded for it, not even by the holder’s platform', async () => {
    const world = await pendingWorld();
    await expectNothingWritten(
      world,
      () => world.recordCertificate('platform2', FUND, CAROL, pki.holders['carol'] ?? ''),
      /^HOLDING_PENDING: the holding of U[0-9a-f]{32} in A[0-9a-f]{32} awaits acceptance by the holder's platform/,
    );
  });

  it.each([
    ['list', (w: World) => createListing(w, listingInput(w.stub, { sellerId: CAROL }))],
    ['offer', (w: World) => createOffer(w, offerInput(w.stub, { sellerId: CAROL, buyerId: BOB }))],
    ['run a campaign', (w: World) => createCampaign(w, campaignInput(w.stub, { sellerId: CAROL }))],
  ])('its units cannot be sold: %s', async (_what, call) => {
    const world = await pendingWorld();
    await expectNothingWritten(
      world,
      () => call(world),
      /^HOLDING_PENDING: .* cannot be sold or listed yet$/,
    );
  });

  it('it cannot grow by a purchase, an offer or a campaign commitment', async () => {
    const world = await pendingWorld();
    const listed = await createListing(world);
    const offered = await createOffer(world);
    const campaign = await createCampaign(world);
    const cannot = /^HOLDING_PENDING: .* cannot receive more units yet$/;
    await expectNothingWritten(world, () => buy(world, listed.listingId, CAROL, 2), cannot);
    await expectNothingWritten(world, () => accept(world, offered.offerId, CAROL), cannot);
    await expectNothingWritten(world, () => commit(world, campaign.listingId, CAROL, 2), cannot);
    const check = await contracts.trades.CanBuy(world.as('platform2'), listed.listingId, CAROL, '2');
    expect(check).toMatchObject({ ok: false, code: 'HOLDING_PENDING' });
  });
});

describe('assets:AcceptHolding', () => {
  it.each<[Who, RegExp]>([
    [
      'platform1',
      /^FORBIDDEN: only Platform2MSP may accept holdings of U[0-9a-f]{32}; caller .* of Platform1MSP may not$/,
    ],
    ['admin', /^FORBIDDEN: only a platform identity/],
    ['auditor', /^FORBIDDEN: only a platform identity/],
    ['nobody', /^FORBIDDEN: only a platform identity/],
  ])('refuses %s, who is not the holder’s platform, and writes nothing', async (who, message) => {
    const world = await pendingWorld();
    await expectNothingWritten(
      world,
      () => contracts.assets.AcceptHolding(world.as(who), FUND, CAROL),
      message,
    );
    expect(holding(world.stub, FUND, CAROL)?.certificate).toBe('PENDING');
  });

  it('makes the holding DUE, drops it from the pending list and tells both platforms', async () => {
    const world = await pendingWorld();
    world.nextTx();
    const accepted = await contracts.assets.AcceptHolding(world.as('platform2'), FUND, CAROL);
    expect(accepted).toMatchObject({ assetId: FUND, userId: CAROL, units: 40, certificate: 'DUE' });
    expect(holding(world.stub, FUND, CAROL)?.certificate).toBe('DUE');
    expect(world.stub.state.has(pendingKey(CAROL))).toBe(false);
    expect(world.stub.events.at(-1)?.name).toBe('HoldingAccepted');
    expect(json(world.stub.events.at(-1)?.payload)).toEqual({
      holding: { assetId: FUND, userId: CAROL, units: 40, escrowed: 0, certificate: 'DUE' },
      platform: P2,
      assetPlatform: P1,
    });
    expect(await unitsOf(world)).toEqual({ total: 100, held: 100 });
  });

  it('lets the holder’s platform record the certificate and trade afterwards', async () => {
    const world = await pendingWorld();
    await contracts.assets.AcceptHolding(world.as('platform2'), FUND, CAROL);
    await world.recordCertificate('platform2', FUND, CAROL, pki.holders['carol'] ?? '');
    expect(holding(world.stub, FUND, CAROL)?.certificate).toBe('ISSUED');
    const listed = await createListing(world, listingInput(world.stub, { sellerId: CAROL }));
    expect(listed.status).toBe('OPEN');
  });

  it('is HOLDING_NOT_PENDING a second time, and for an own user’s holding', async () => {
    const world = await pendingWorld();
    await contracts.assets.AcceptHolding(world.as('platform2'), FUND, CAROL);
    await expectNothingWritten(
      world,
      () => contracts.assets.AcceptHolding(world.as('platform2'), FUND, CAROL),
      /^HOLDING_NOT_PENDING: the holding of U[0-9a-f]{32} in A[0-9a-f]{32} is not pending: its certificate is DUE$/,
    );
    await expectNothingWritten(
      world,
      () => contracts.assets.AcceptHolding(world.as('platform1'), FUND, ALICE),
      /^HOLDING_NOT_PENDING: /,
    );
  });

  it('is NOT_HOLDER for a user who holds nothing of the asset', async () => {
    const world = await pendingWorld();
    await expectNothingWritten(
      world,
      () => contracts.assets.AcceptHolding(world.as('platform1'), FUND, BOB),
      /^NOT_HOLDER: user U[0-9a-f]{32} holds no units of /,
    );
  });
});

describe('assets:DeclineHolding', () => {
  it('takes the units off the asset: holding, indexes gone, total shrunk, holdings still sum to it', async () => {
    const world = await pendingWorld();
    world.nextTx();
    const after = await contracts.assets.DeclineHolding(world.as('platform2'), FUND, CAROL);
    expect(after).toMatchObject({ assetId: FUND, totalUnits: 60 });
    expect(world.stub.state.has(key(KeyPrefix.holding, FUND, CAROL))).toBe(false);
    expect(world.stub.state.has(key(KeyPrefix.holdingByUser, CAROL, FUND))).toBe(false);
    expect(world.stub.state.has(pendingKey(CAROL))).toBe(false);
    expect(await unitsOf(world)).toEqual({ total: 60, held: 60 });
    expect(json(world.stub.events.at(-1)?.payload)).toEqual({
      assetId: FUND,
      userId: CAROL,
      platform: P2,
      assetPlatform: P1,
      units: 40,
      totalUnits: 60,
    });
    expect(world.stub.events.at(-1)?.name).toBe('HoldingDeclined');
    const portfolio = await contracts.users.Portfolio(world.as('platform2'), CAROL);
    expect(portfolio.holdings).toEqual([]);
  });

  it('refuses the asset’s own platform, which would be shrinking the asset by itself', async () => {
    const world = await pendingWorld();
    await expectNothingWritten(
      world,
      () => contracts.assets.DeclineHolding(world.as('platform1'), FUND, CAROL),
      /^FORBIDDEN: only Platform2MSP may decline holdings of /,
    );
    expect(await unitsOf(world)).toEqual({ total: 100, held: 100 });
  });

  it('refuses a holding that is not pending: an accepted holding is the holder’s', async () => {
    const world = await pendingWorld();
    await contracts.assets.AcceptHolding(world.as('platform2'), FUND, CAROL);
    await expectNothingWritten(
      world,
      () => contracts.assets.DeclineHolding(world.as('platform2'), FUND, CAROL),
      /^HOLDING_NOT_PENDING: /,
    );
    await expectNothingWritten(
      world,
      () => contracts.assets.DeclineHolding(world.as('platform1'), FUND, ALICE),
      /^HOLDING_NOT_PENDING: /,
    );
  });

  it('leaves an asset’s only holding pending: LAST_HOLDING', async () => {
    const world = await pendingWorld();
    const only = await world.registerAsset(
      'platform1',
      assetInput({ assetRef: 'solo', totalUnits: 5, holders: [{ userId: CAROL, units: 5 }] }),
    );
    await expectNothingWritten(
      world,
      () => contracts.assets.DeclineHolding(world.as('platform2'), only.assetId, CAROL),
      /^LAST_HOLDING: U[0-9a-f]{32} holds all 5 units of A[0-9a-f]{32}: an asset keeps at least one unit/,
    );
  });
});

describe('a platform’s own users, and buyers', () => {
  it('are never pending: the platform acts for them', async () => {
    const world = new World(pki);
    await world.populate();
    expect(
      [holding(world.stub, FUND, ALICE), holding(world.stub, FUND, BOB)].map((h) => h?.certificate),
    ).toEqual(['DUE', 'DUE']);
    const pending = await contracts.assets.PendingHoldings(world.as('auditor'), P1, '10', '');
    expect(pending.records).toEqual([]);
  });

  it('buying from another platform’s seller is not pending: the buyer’s own platform bought', async () => {
    const world = new World(pki);
    await world.trading();
    const listed = await createListing(world);
    world.nextTx(DAY);
    await buy(world, listed.listingId, CAROL, 2);
    expect(holding(world.stub, FUND, CAROL)?.certificate).toBe('DUE');
    expect(await contracts.assets.PendingHoldings(world.as('auditor'), P2, '10', '')).toMatchObject({
      records: [],
    });
  });
});
