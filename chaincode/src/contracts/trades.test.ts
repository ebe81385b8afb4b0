import { createHash } from 'node:crypto';
import { isChaincodeError } from '../values/errors';
import type { TradeResult } from '../model/trade-result';
import { INDEX_ENTRY_VALUE, TimeIndex, timeKey, tradeIdFor } from '@crowdledger/protocol';
import { useKdfParameters } from '../rules/transaction-keys';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  ALL_KEYS,
  campaignInput,
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

/** Alice lists 10 fund-1 units at 150.00 yuan, 2 to 6 per buyer. */
async function listing(world: World, overrides: Record<string, unknown> = {}): Promise<string> {
  world.nextTx();
  world.useKey(KEYS.alice);
  const input = listingInput(world.stub, { minPerBuyer: 2, maxPerBuyer: 6, ...overrides });
  const result = await contracts.listings.Create(world.as('platform1'), JSON.stringify(input));
  return result.listing?.listingId ?? 'refused';
}

const PLATFORM_OF: Record<string, Who> = { [ALICE]: 'platform1', [BOB]: 'platform1', [CAROL]: 'platform2' };
const KEY_OF: Record<string, string> = { [ALICE]: KEYS.alice, [BOB]: KEYS.bob, [CAROL]: KEYS.carol };

async function buy(
  world: World,
  listingId: string,
  buyerId: string,
  units: string,
  presented = KEY_OF[buyerId],
): Promise<TradeResult> {
  world.nextTx();
  world.useKey(presented);
  return contracts.trades.Buy(world.as(PLATFORM_OF[buyerId] ?? 'nobody'), listingId, buyerId, units);
}

describe('TradesContract.Buy', () => {
  it("moves units from the seller's escrow to a buyer on another platform and records the trade", async () => {
    const world = await trading();
    const listingId = await listing(world);
    const result = await buy(world, listingId, CAROL, '4');
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
      outcome: 'OK',
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
    const result = await buy(world, listingId, CAROL, '4');
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['TradeExecuted']);
    expect(json(world.stub.events.at(-1)?.payload)).toEqual({
      trade: json(world.stub.state.get(key('trade', result.trade?.tradeId ?? ''))),
      buyerCertificateDue: true,
      sellerCertificateRevoked: false,
      listing: storedListing(world.stub, listingId),
    });
  });

  it('fills partially until the listing sells out, then closes it', async () => {
    const world = await trading();
    const listingId = await listing(world);
    await buy(world, listingId, CAROL, '4');
    const last = await buy(world, listingId, BOB, '6');
    expect(last).toMatchObject({ outcome: 'OK', buyerCertificateDue: false, trade: { amount: 90_000 } });
    expect(storedListing(world.stub, listingId)).toMatchObject({ remaining: 0, status: 'CLOSED' });
    expect(world.stub.state.has(key('openListing', listingId))).toBe(false);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 50, escrowed: 0 });
    expect(holding(world.stub, FUND, BOB)).toMatchObject({ units: 46, escrowed: 0 });
    await expect(buy(world, listingId, CAROL, '1')).rejects.toThrow(
      `LISTING_CLOSED: listing ${listingId} is CLOSED`,
    );
  });

  it('keeps each buyer within the per-buyer maximum over all their purchases', async () => {
    const world = await trading();
    const listingId = await listing(world);
    await buy(world, listingId, CAROL, '4');
    await expect(buy(world, listingId, CAROL, '3')).rejects.toThrow(
      `LIMIT_EXCEEDED: ${CAROL} may buy at most 6 units of listing ${listingId} in all; they have 4 and asked for 3`,
    );
    await expect(buy(world, listingId, CAROL, '2')).resolves.toMatchObject({ outcome: 'OK' });
  });

  it('holds a first purchase to the minimum, except to take the last units', async () => {
    const world = await trading();
    const listingId = await listing(world, { units: 3, minPerBuyer: 2, maxPerBuyer: 3 });
    await expect(buy(world, listingId, CAROL, '1')).rejects.toThrow(
      `LIMIT_EXCEEDED: ${CAROL} must buy at least 2 units of listing ${listingId} in all, or all 3 left; they have 0 and asked for 1`,
    );
    await buy(world, listingId, CAROL, '2');
    await expect(buy(world, listingId, BOB, '1')).resolves.toMatchObject({ outcome: 'OK' });
  });

  it('names what is left when more units are asked for', async () => {
    const world = await trading();
    const listingId = await listing(world, { maxPerBuyer: 10 });
    await buy(world, listingId, CAROL, '4');
    await expect(buy(world, listingId, BOB, '7')).rejects.toThrow(
      `INSUFFICIENT_UNITS: listing ${listingId} has 6 units left, 7 requested`,
    );
  });

  it('revokes the certificate and deletes the holding of a seller who sells their last unit', async () => {
    const world = await trading();
    await world.recordCertificate('platform1', FUND, BOB, pki.holders['bob'] ?? '');
    world.nextTx();
    world.useKey(KEYS.bob);
    const input = listingInput(world.stub, { sellerId: BOB, units: 40, maxPerBuyer: 40 });
    const created = await contracts.listings.Create(world.as('platform1'), JSON.stringify(input));
    const listingId = created.listing?.listingId ?? '';
    const result = await buy(world, listingId, CAROL, '40');
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
    await expect(buy(world, listingId, BOB, '3')).resolves.toMatchObject({ buyerCertificateDue: false });
    expect(holding(world.stub, FUND, BOB)).toMatchObject({ units: 43, certificate: 'DUE' });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 57, certificate: 'ISSUED' });
    world.nextTx();
    world.useKey(KEYS.bob);
    const all = listingInput(world.stub, { sellerId: BOB, units: 43, maxPerBuyer: 43 });
    const bobs = await contracts.listings.Create(world.as('platform1'), JSON.stringify(all));
    await buy(world, bobs.listing?.listingId ?? '', CAROL, '43');
    expect(holding(world.stub, FUND, BOB)).toBeUndefined();
    await expect(buy(world, listingId, BOB, '2')).resolves.toMatchObject({ buyerCertificateDue: true });
    expect(holding(world.stub, FUND, BOB)).toEqual({
      assetId: FUND,
      userId: BOB,
      units: 2,
      escrowed: 0,
      certificate: 'DUE',
    });
  });

  it('refuses a wrong buyer key: the count is written in the buyer platform collection, nothing else', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    const result = await buy(world, listingId, CAROL, '4', 'not-carols');
    expect(result).toEqual({
      outcome: 'REFUSED',
      code: 'BAD_TRANSACTION_KEY',
      sentence: `the transaction key for ${CAROL} is wrong (1 of 5 wrong keys in a row); nothing else was done`,
    });
    expect(world.stub.writes.slice(writes).map((w) => [w.collection, w.key])).toEqual([
      [`${P2}Private`, key('transactionKey', CAROL)],
    ]);
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['TransactionKeyRefused']);
    expect(storedListing(world.stub, listingId)).toMatchObject({ remaining: 10 });
    const ok = await buy(world, listingId, CAROL, '4');
    expect(ok.outcome).toBe('OK');
    await expect(contracts.keys.Status(world.as('platform2'), CAROL)).resolves.toMatchObject({ failures: 0 });
  });

  it.each([
    [
      'the seller buying their own listing',
      ALICE,
      'platform1',
      '2',
      `SELF_TRADE: user ${ALICE} is the seller`,
    ],
    [
      'another platform buying for Carol',
      CAROL,
      'platform1',
      '2',
      `FORBIDDEN: only ${P2} may buy for ${CAROL}`,
    ],
    ['the admin', CAROL, 'admin', '2', 'FORBIDDEN: only a platform identity'],
    ['an auditor', CAROL, 'auditor', '2', 'FORBIDDEN: only a platform identity'],
    ['units with letters', CAROL, 'platform2', '4abc', 'UNITS_INVALID: units must be a whole number'],
    ['zero units', CAROL, 'platform2', '0', 'UNITS_INVALID'],
    ['units in exponent form', CAROL, 'platform2', '1e1', 'UNITS_INVALID'],
  ] as const)('refuses %s and writes nothing', async (_case, buyerId, who, units, message) => {
    const world = await trading();
    const listingId = await listing(world);
    const writes = world.stub.writes.length;
    world.nextTx();
    world.useKey(KEY_OF[buyerId]);
    await expect(contracts.trades.Buy(world.as(who), listingId, buyerId, units)).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('refuses a purchase at or after expiresAt with LISTING_CLOSED', async () => {
    const world = await trading();
    const listingId = await listing(world, { expiresAt: isoIn(world.stub, DAY) });
    world.stub.txSeconds += DAY;
    await expect(buy(world, listingId, CAROL, '2')).rejects.toThrow(
      `LISTING_CLOSED: listing ${listingId} expired at`,
    );
  });

  it('refuses to buy from a campaign, an unknown listing or for an unknown buyer', async () => {
    const world = await trading();
    world.nextTx();
    world.useKey(KEYS.alice);
    const campaign = await contracts.campaigns.Create(
      world.as('platform1'),
      JSON.stringify(campaignInput(world.stub)),
    );
    const campaignId = campaign.listing?.listingId ?? '';
    await expect(buy(world, campaignId, CAROL, '2')).rejects.toThrow(
      `INVALID_ARGUMENT: listing ${campaignId} is a CAMPAIGN listing: use campaigns:Commit`,
    );
    const unknown = `L${'0'.repeat(32)}`;
    await expect(buy(world, unknown, CAROL, '2')).rejects.toThrow('LISTING_NOT_FOUND');
    world.useKey(KEYS.carol);
    await expect(
      contracts.trades.Buy(world.as('platform2'), campaignId, `U${'0'.repeat(32)}`, '2'),
    ).rejects.toThrow('USER_NOT_FOUND');
  });
});

describe('TradesContract.CanBuy', () => {
  it('answers ok without a key, without writing and without counting anything', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const writes = world.stub.writes.length;
    world.useKey(undefined);
    const check = await contracts.trades.CanBuy(world.as('platform2'), listingId, CAROL, '4');
    expect(check.ok).toBe(true);
    expect(check.code).toBeUndefined();
    expect(check.sentence).toContain('the key is not checked here');
    world.useKey('a-wrong-key');
    await expect(
      contracts.trades.CanBuy(world.as('platform2'), listingId, CAROL, '4'),
    ).resolves.toMatchObject({
      ok: true,
    });
    expect(world.stub.writes).toHaveLength(writes);
    expect(world.stub.state.get(key('listing', listingId))).toEqual(
      world.stub.state.get(key('listing', listingId)),
    );
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

  it('reports LOCKED and KEY_NOT_SET, which it learns without the key', async () => {
    const world = await trading();
    const listingId = await listing(world);
    for (let i = 0; i < 5; i += 1) {
      await buy(world, listingId, CAROL, '2', 'wrong');
    }
    await expect(
      contracts.trades.CanBuy(world.as('platform2'), listingId, CAROL, '2'),
    ).resolves.toMatchObject({
      ok: false,
      code: 'LOCKED',
    });
    const fresh = new World(pki);
    await fresh.populate();
    await fresh.setKey('platform1', ALICE, KEYS.alice);
    const freshListing = await listing(fresh);
    await expect(
      contracts.trades.CanBuy(fresh.as('platform1'), freshListing, BOB, '2'),
    ).resolves.toMatchObject({
      ok: false,
      code: 'KEY_NOT_SET',
    });
  });
});

describe('TradesContract reads', () => {
  it('gets a trade and lists trades by asset and by user, both parties', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const first = await buy(world, listingId, CAROL, '4');
    const second = await buy(world, listingId, BOB, '2');
    const ids = [first.trade?.tradeId, second.trade?.tradeId].sort();
    await expect(contracts.trades.Get(world.as('auditor'), ids[0] ?? '')).resolves.toMatchObject({
      assetId: FUND,
    });
    const byAsset = await contracts.trades.ByAsset(world.as('auditor'), FUND, '1', '');
    const rest = await contracts.trades.ByAsset(world.as('auditor'), FUND, '1', byAsset.bookmark);
    expect([...byAsset.records, ...rest.records].map((t) => t.tradeId)).toEqual(ids);
    const seller = await contracts.trades.ByUser(world.as('platform2'), ALICE, '10', '');
    expect(seller.records.map((t) => t.tradeId)).toEqual(ids);
    const buyer = await contracts.trades.ByUser(world.as('platform1'), CAROL, '10', '');
    expect(buyer.records.map((t) => t.tradeId)).toEqual([first.trade?.tradeId]);
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
    const carols = (await buy(world, listingId, CAROL, '4')).trade?.tradeId ?? '';
    const bobs = (await buy(world, listingId, BOB, '2')).trade?.tradeId ?? '';
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

describe('transaction keys in trading', () => {
  it('never appear in a public write, an event or an error sentence', async () => {
    const world = await trading();
    const listingId = await listing(world);
    const sentences: string[] = [];
    const attempts: [string, string, string][] = [
      [CAROL, '4', 'guess-1234'],
      [CAROL, '4', KEYS.carol],
      [BOB, '99', KEYS.bob],
      [BOB, '2', 'bob-wrong-pin'],
      [ALICE, '2', KEYS.alice],
    ];
    for (const [buyerId, units, presented] of attempts) {
      const outcome = await buy(world, listingId, buyerId, units, presented).catch((error: unknown) => error);
      if (isChaincodeError(outcome)) {
        sentences.push(outcome.message);
      } else {
        sentences.push((outcome as TradeResult).sentence ?? '');
      }
    }
    const secrets = [...ALL_KEYS, 'guess-1234', 'bob-wrong-pin'];
    for (const text of [...publicTexts(world.stub), ...sentences]) {
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
      }
    }
    const hashes = [...world.stub.privateData.values()].flatMap((entries) =>
      [...entries.values()].map((bytes) => String((json(bytes) as { hash?: string }).hash)),
    );
    for (const text of publicTexts(world.stub)) {
      for (const hash of hashes.filter((h) => h !== 'undefined')) {
        expect(text).not.toContain(hash);
      }
    }
  });
});
