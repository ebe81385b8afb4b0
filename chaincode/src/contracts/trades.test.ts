import { createHash } from 'node:crypto';
import { INDEX_ENTRY_VALUE, TimeIndex, timeKey, tradeIdFor } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  buy,
  createCampaign,
  createListing,
  DAY,
  holding,
  isoIn,
  json,
  key,
  listingInput,
  storedListing,
  storedText,
  WINDOW,
} from '../testing/trading';
import {
  ALICE,
  BOB,
  CAROL,
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
});

async function trading(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

/** Alice lists 10 fund-1 units at 150.00 yuan, 2 to 6 per buyer. */
async function listing(world: World, overrides: Record<string, unknown> = {}): Promise<string> {
  const input = listingInput(world.stub, { minPerBuyer: 2, maxPerBuyer: 6, ...overrides });
  return (await createListing(world, input)).listingId;
}

describe('TradesContract.Buy', () => {
  it("moves units from the seller's escrow to a buyer on another platform and records the trade", async () => {
    const world = await trading();
    const listingId = await listing(world);
    const result = await buy(world, listingId, CAROL, 4);
    const tradeId = `T${createHash('sha256').update(world.stub.txId).digest('hex').slice(0, 32)}`;
    const trade = {
      tradeId,
      via: 'FIXED',
      listingId,
      assetId: FUND,
      sellerId: ALICE,
      buyerId: CAROL,
      sellerPlatform: P1,
      buyerPlatform: P2,
      units: 4,
      pricePerUnit: 15_000,
      amount: 60_000,
      executedAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    };
    expect(tradeIdFor(world.stub.txId)).toBe(tradeId);
    expect(result).toEqual({
      trade,
      buyerCertificateDue: true,
      sellerCertificateRevoked: false,
    });
    expect(holding(world.stub, FUND, ALICE)).toEqual({
      assetId: FUND,
      userId: ALICE,
      units: 56,
      escrowed: 6,
      certificate: 'DUE',
    });
    expect(holding(world.stub, FUND, CAROL)).toEqual({
      assetId: FUND,
      userId: CAROL,
      units: 4,
      escrowed: 0,
      certificate: 'DUE',
    });
    const state = world.stub.state;
    expect(json(state.get(key('trade', tradeId)))).toEqual(trade);
    // Every index entry holds only the marker: the IDs it points at are in its key.
    for (const index of [
      key('holdingByUser', CAROL, FUND),
      key('tradeByAsset', FUND, tradeId),
      key('tradeByUser', ALICE, tradeId),
      key('tradeByUser', CAROL, tradeId),
      timeKey(TimeIndex.tradeAt, [], trade.executedAt, tradeId),
      timeKey(TimeIndex.platformTradeAt, [P1], trade.executedAt, tradeId),
      timeKey(TimeIndex.platformTradeAt, [P2], trade.executedAt, tradeId),
    ]) {
      expect(storedText(state.get(index))).toBe(INDEX_ENTRY_VALUE);
    }
    expect(json(state.get(key('purchase', listingId, CAROL)))).toEqual({
      listingId,
      buyerId: CAROL,
      units: 4,
    });
    expect(storedListing(world.stub, listingId)).toMatchObject({ remaining: 6, status: 'OPEN' });
  });

  it('emits one TradeExecuted event with the trade, the certificate flags and the listing after it', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const events = world.stub.events.length;
    const result = await buy(world, listingId, CAROL, 4);
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['TradeExecuted']);
    expect(json(world.stub.events.at(-1)?.payload)).toEqual({
      trade: json(world.stub.state.get(key('trade', result.trade.tradeId))),
      buyerCertificateDue: true,
      sellerCertificateRevoked: false,
      listing: storedListing(world.stub, listingId),
    });
  });

  it('fills partially until the listing sells out, then closes it', async () => {
    const world = await trading();
    const listingId = await listing(world);
    await buy(world, listingId, CAROL, 4);
    const last = await buy(world, listingId, BOB, 6);
    expect(last).toMatchObject({ buyerCertificateDue: false, trade: { amount: 90_000 } });
    expect(storedListing(world.stub, listingId)).toMatchObject({ remaining: 0, status: 'CLOSED' });
    expect(world.stub.state.has(key('openListing', listingId))).toBe(false);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 50, escrowed: 0 });
    expect(holding(world.stub, FUND, BOB)).toMatchObject({ units: 46, escrowed: 0 });
    await expect(buy(world, listingId, CAROL, 1)).rejects.toThrow(
      `LISTING_CLOSED: listing ${listingId} is CLOSED`,
    );
  });

  it('keeps each buyer within the per-buyer maximum over all their purchases', async () => {
    const world = await trading();
    const listingId = await listing(world);
    await buy(world, listingId, CAROL, 4);
    await expect(buy(world, listingId, CAROL, 3)).rejects.toThrow(
      `LIMIT_EXCEEDED: ${CAROL} may buy at most 6 units of listing ${listingId} in all; they have 4 and asked for 3`,
    );
    await expect(buy(world, listingId, CAROL, 2)).resolves.toMatchObject({ trade: { units: 2 } });
  });

  it('holds a first purchase to the minimum, except to take the last units', async () => {
    const world = await trading();
    const listingId = await listing(world, { units: 3, minPerBuyer: 2, maxPerBuyer: 3 });
    await expect(buy(world, listingId, CAROL, 1)).rejects.toThrow(
      `LIMIT_EXCEEDED: ${CAROL} must buy at least 2 units of listing ${listingId} in all, or all 3 left; they have 0 and asked for 1`,
    );
    await buy(world, listingId, CAROL, 2);
    await expect(buy(world, listingId, BOB, 1)).resolves.toMatchObject({ trade: { units: 1 } });
  });

  it('names what is left when more units are asked for', async () => {
    const world = await trading();
    const listingId = await listing(world, { maxPerBuyer: 10 });
    await buy(world, listingId, CAROL, 4);
    await expect(buy(world, listingId, BOB, 7)).rejects.toThrow(
      `INSUFFICIENT_UNITS: listing ${listingId} has 6 units left, 7 requested`,
    );
  });

  it('revokes the certificate and deletes the holding of a seller who sells their last unit', async () => {
    const world = await trading();
    await world.recordCertificate('platform1', FUND, BOB, pki.holders['bob'] ?? '');
    const input = listingInput(world.stub, { sellerId: BOB, units: 40, maxPerBuyer: 40 });
    const { listingId } = await createListing(world, input);
    const result = await buy(world, listingId, CAROL, 40);
    expect(result).toMatchObject({ buyerCertificateDue: true, sellerCertificateRevoked: true });
    expect(world.stub.state.has(key('holding', FUND, BOB))).toBe(false);
    expect(world.stub.state.has(key('holdingByUser', BOB, FUND))).toBe(false);
    expect(json(world.stub.state.get(key('certificate', FUND, BOB)))).toMatchObject({
      status: 'REVOKED',
      revocationReason: 'transferred',
      revokedAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    });
    const portfolio = await contracts.users.Portfolio(world.as('auditor'), BOB);
    expect(portfolio.holdings).toEqual([]);
    const page = await contracts.assets.Holders(world.as('auditor'), FUND, '10', '');
    expect(page.records.map((h) => [h.userId, h.units])).toEqual(
      expect.arrayContaining([
        [ALICE, 60],
        [CAROL, 40],
      ]),
    );
    expect(page.records).toHaveLength(2);
  });

  it("keeps a returning holder's certificate state, and marks a seller who left due when they buy back in", async () => {
    const world = await trading();
    await world.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    const listingId = await listing(world, { maxPerBuyer: 10 });
    await expect(buy(world, listingId, BOB, 3)).resolves.toMatchObject({ buyerCertificateDue: false });
    expect(holding(world.stub, FUND, BOB)).toMatchObject({ units: 43, certificate: 'DUE' });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 57, certificate: 'ISSUED' });
    const all = listingInput(world.stub, { sellerId: BOB, units: 43, maxPerBuyer: 43 });
    const bobs = await createListing(world, all);
    await buy(world, bobs.listingId, CAROL, 43);
    expect(holding(world.stub, FUND, BOB)).toBeUndefined();
    await expect(buy(world, listingId, BOB, 2)).resolves.toMatchObject({ buyerCertificateDue: true });
    expect(holding(world.stub, FUND, BOB)).toEqual({
      assetId: FUND,
      userId: BOB,
      units: 2,
      escrowed: 0,
      certificate: 'DUE',
    });
  });

  it.each([
    ['the seller buying their own listing', ALICE, 'platform1', 2, `SELF_TRADE: user ${ALICE} is the seller`],
    [
      'another platform buying for Carol',
      CAROL,
      'platform1',
      2,
      `FORBIDDEN: only ${P2} may act for ${CAROL}`,
    ],
    ['the admin', CAROL, 'admin', 2, 'FORBIDDEN: only a platform identity'],
    ['an auditor', CAROL, 'auditor', 2, 'FORBIDDEN: only a platform identity'],
    ['zero units', CAROL, 'platform2', 0, 'UNITS_INVALID: params.units must be a whole number'],
    ['fractional units', CAROL, 'platform2', 1.5, 'UNITS_INVALID'],
  ] as const)('refuses %s and writes nothing', async (_case, buyerId, who, units, message) => {
    const world = await trading();
    const listingId = await listing(world);
    const writes = world.stub.writes.length;
    await expect(buy(world, listingId, buyerId, units, { as: who })).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it("refuses a price other than the listing's: the buyer agreed to one price", async () => {
    const world = await trading();
    const listingId = await listing(world);
    const writes = world.stub.writes.length;
    await expect(buy(world, listingId, CAROL, 2, { pricePerUnit: 14_000 })).rejects.toThrow(
      `CONSENT_TERMS_MISMATCH: request request-0005 of ${CAROL} was signed for pricePerUnit 14000, but listing ${listingId} has pricePerUnit 15000`,
    );
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('closes purchases one proposal time window before expiresAt, with LISTING_CLOSED', async () => {
    const world = await trading();
    const expiresAt = isoIn(world.stub, DAY);
    const listingId = await listing(world, { expiresAt });
    world.stub.txSeconds = Date.parse(expiresAt) / 1000 - WINDOW - 2;
    await expect(buy(world, listingId, CAROL, 2)).resolves.toMatchObject({ trade: { units: 2 } });
    await expect(buy(world, listingId, BOB, 2)).rejects.toThrow(
      `LISTING_CLOSED: listing ${listingId} expires at ${expiresAt} and took purchases until ${isoIn(world.stub, 0)}, one proposal time window before`,
    );
  });

  it('refuses to buy from a campaign, an unknown listing or for an unknown buyer', async () => {
    const world = await trading();
    const campaignId = (await createCampaign(world)).listingId;
    await expect(buy(world, campaignId, CAROL, 2)).rejects.toThrow(
      `INVALID_ARGUMENT: listing ${campaignId} is a CAMPAIGN listing: use campaigns:Commit`,
    );
    const unknown = `L${'0'.repeat(32)}`;
    await expect(buy(world, unknown, CAROL, 2)).rejects.toThrow('LISTING_NOT_FOUND');
    await expect(buy(world, campaignId, `U${'0'.repeat(32)}`, 2)).rejects.toThrow('USER_NOT_FOUND');
  });
});

describe('TradesContract.CanBuy', () => {
  it('answers ok without a signature and without writing', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const writes = world.stub.writes.length;
    const check = await contracts.trades.CanBuy(world.as('platform2'), listingId, CAROL, '4');
    expect(check.ok).toBe(true);
    expect(check.code).toBeUndefined();
    expect(check.sentence).toContain("with the user's signature over the request");
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('reports the code and sentence Buy would fail with', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const check = (buyerId: string, units: string, who: Who = 'platform2'): Promise<unknown> =>
      contracts.trades.CanBuy(world.as(who), listingId, buyerId, units);
    await expect(check(CAROL, '7')).resolves.toEqual({
      ok: false,
      code: 'LIMIT_EXCEEDED',
      sentence: `${CAROL} may buy at most 6 units of listing ${listingId} in all; they have 0 and asked for 7`,
    });
    await expect(check(CAROL, '11')).resolves.toMatchObject({ ok: false, code: 'INSUFFICIENT_UNITS' });
    await expect(check(ALICE, '2', 'platform1')).resolves.toMatchObject({ ok: false, code: 'SELF_TRADE' });
    await expect(check(CAROL, '2', 'platform1')).resolves.toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await expect(check(CAROL, 'x')).resolves.toMatchObject({ ok: false, code: 'UNITS_INVALID' });
  });

  it('reports KEY_NOT_SET: a buyer without a key could not sign', async () => {
    const world = new World(pki);
    await world.populate();
    await world.registerKey('platform1', ALICE, KEYS.alice);
    const listingId = await listing(world);
    await expect(contracts.trades.CanBuy(world.as('platform1'), listingId, BOB, '2')).resolves.toMatchObject({
      ok: false,
      code: 'KEY_NOT_SET',
    });
  });
});

describe('TradesContract reads', () => {
  it('gets a trade and lists trades by asset and by user, both parties', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const first = await buy(world, listingId, CAROL, 4);
    const second = await buy(world, listingId, BOB, 2);
    const ids = [first.trade.tradeId, second.trade.tradeId].sort();
    await expect(contracts.trades.Get(world.as('auditor'), ids[0] ?? '')).resolves.toMatchObject({
      assetId: FUND,
    });
    const byAsset = await contracts.trades.ByAsset(world.as('auditor'), FUND, '1', '');
    const rest = await contracts.trades.ByAsset(world.as('auditor'), FUND, '1', byAsset.bookmark);
    expect([...byAsset.records, ...rest.records].map((t) => t.tradeId)).toEqual(ids);
    const seller = await contracts.trades.ByUser(world.as('platform2'), ALICE, '10', '');
    expect(seller.records.map((t) => t.tradeId)).toEqual(ids);
    const buyer = await contracts.trades.ByUser(world.as('platform1'), CAROL, '10', '');
    expect(buyer.records.map((t) => t.tradeId)).toEqual([first.trade.tradeId]);
    const unknown = tradeIdFor('nothing');
    await expect(contracts.trades.Get(world.as('auditor'), unknown)).rejects.toThrow(
      `NOT_FOUND: no trade ${unknown}`,
    );
    await expect(contracts.trades.Get(world.as('auditor'), 'T1')).rejects.toThrow(
      'INVALID_ARGUMENT: tradeId',
    );
    await expect(contracts.trades.ByAsset(world.as({ holder: 'alice' }), FUND, '1', '')).rejects.toThrow(
      'FORBIDDEN',
    );
  });
});

describe('TradesContract reads by platform and by time', () => {
  /** Carol (Platform2) buys at t+1 s, Bob (Platform1) at t+2 s, both from Alice (Platform1). */
  async function twoTrades(): Promise<{ world: World; carols: string; bobs: string; at: string[] }> {
    const world = await trading();
    const listingId = await listing(world);
    const carols = (await buy(world, listingId, CAROL, 4)).trade.tradeId;
    const bobs = (await buy(world, listingId, BOB, 2)).trade.tradeId;
    const at = [carols, bobs].map(
      (id) => json(world.stub.state.get(key('trade', id))) as { executedAt: string },
    );
    return { world, carols, bobs, at: at.map((t) => t.executedAt) };
  }

  const ids = (page: { readonly records: readonly { tradeId: string }[] }): string[] =>
    page.records.map((t) => t.tradeId);

  it('lists trades in time order, from included and to excluded', async () => {
    const { world, carols, bobs, at } = await twoTrades();
    const [first = '', second = ''] = at;
    const auditor = world.as('auditor');
    expect(ids(await contracts.trades.ByTime(auditor, '', '10', ''))).toEqual([carols, bobs]);
    expect(ids(await contracts.trades.ByTime(auditor, `${second}/`, '10', ''))).toEqual([bobs]);
    expect(ids(await contracts.trades.ByTime(auditor, `/${second}`, '10', ''))).toEqual([carols]);
    expect(ids(await contracts.trades.ByTime(auditor, `${first}/${second}`, '10', ''))).toEqual([carols]);
    const later = new Date(Date.parse(second) + 1).toISOString();
    expect(ids(await contracts.trades.ByTime(auditor, `${later}/`, '10', ''))).toEqual([]);
  });

  it("lists a platform's trades as seller or buyer, once each, in time order", async () => {
    const { world, carols, bobs, at } = await twoTrades();
    const reader = world.as('platform2');
    expect(ids(await contracts.trades.ByPlatform(reader, P1, '', '10', ''))).toEqual([carols, bobs]);
    expect(ids(await contracts.trades.ByPlatform(reader, P2, '', '10', ''))).toEqual([carols]);
    expect(ids(await contracts.trades.ByPlatform(reader, P2, `${at[1] ?? ''}/`, '10', ''))).toEqual([]);
    expect(ids(await contracts.trades.ByPlatform(reader, 'Platform9MSP', '', '10', ''))).toEqual([]);
    const platformKeys = [...world.stub.state.keys()].filter((k) => k.startsWith('platformTradeAt'));
    expect(platformKeys).toHaveLength(3);
  });

  it('pages with bookmarks and refuses a bookmark from another query', async () => {
    const { world, carols, bobs } = await twoTrades();
    const auditor = world.as('auditor');
    const first = await contracts.trades.ByPlatform(auditor, P1, '', '1', '');
    expect(ids(first)).toEqual([carols]);
    const rest = await contracts.trades.ByPlatform(auditor, P1, '', '1', first.bookmark);
    expect(ids(rest)).toEqual([bobs]);
    expect(rest.bookmark).toBe('');
    await expect(contracts.trades.ByPlatform(auditor, P2, '', '1', first.bookmark)).rejects.toThrow(
      'INVALID_ARGUMENT: bookmark does not belong to this query',
    );
    await expect(contracts.trades.ByTime(auditor, '', '1', first.bookmark)).rejects.toThrow(
      'INVALID_ARGUMENT: bookmark',
    );
  });

  it('refuses bad platforms, intervals and readers with stable codes', async () => {
    const { world } = await twoTrades();
    const auditor = world.as('auditor');
    await expect(contracts.trades.ByPlatform(auditor, 'not an msp', '', '10', '')).rejects.toThrow(
      'INVALID_ARGUMENT: mspId must be an MSP ID such as Platform1MSP',
    );
    await expect(contracts.trades.ByTime(auditor, '2025-01-01/2025-02-01', '10', '')).rejects.toThrow(
      'TIME_RANGE_INVALID: from must be',
    );
    await expect(contracts.trades.ByTime(auditor, '', '0', '')).rejects.toThrow('INVALID_ARGUMENT: pageSize');
    await expect(contracts.trades.ByTime(world.as({ holder: 'alice' }), '', '1', '')).rejects.toThrow(
      'FORBIDDEN',
    );
  });
});
