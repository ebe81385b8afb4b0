import { createHash } from 'node:crypto';
import type { OfferResult } from '../model/offer-result';
import type { TradeResult } from '../model/trade-result';
import { offerIdFor } from '@crowdledger/protocol';
import { useKdfParameters } from '../rules/transaction-keys';
import { makeTestPki, type TestPki } from '../testing/pki';
import { DAY, holding, isoIn, json, key, offerInput } from '../testing/trading';
import {
  ALICE,
  CAROL,
  CHEAP_KDF,
  contracts,
  FUND,
  KEYS,
  P1,
  P2,
  userIdOf,
  type Who,
  World,
} from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
  useKdfParameters(CHEAP_KDF);
});

async function trading(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

async function offer(
  world: World,
  overrides: Record<string, unknown> = {},
  presented: string = KEYS.alice,
  who: Who = 'platform1',
): Promise<OfferResult> {
  world.nextTx();
  world.useKey(presented);
  return contracts.offers.Create(world.as(who), JSON.stringify(offerInput(world.stub, overrides)));
}

async function offered(world: World, overrides: Record<string, unknown> = {}): Promise<string> {
  return (await offer(world, overrides)).offer?.offerId ?? 'refused';
}

async function accept(
  world: World,
  offerId: string,
  presented: string = KEYS.carol,
  who: Who = 'platform2',
): Promise<TradeResult> {
  world.nextTx();
  world.useKey(presented);
  return contracts.offers.Accept(world.as(who), offerId);
}

async function cancel(world: World, offerId: string, presented: string = KEYS.alice): Promise<OfferResult> {
  world.nextTx();
  world.useKey(presented);
  return contracts.offers.Cancel(world.as('platform1'), offerId);
}

describe('OffersContract.Create', () => {
  it('escrows the units and stores the offer for the named buyer', async () => {
    const world = await trading();
    const input = offerInput(world.stub);
    world.nextTx();
    world.useKey(KEYS.alice);
    const result = await contracts.offers.Create(world.as('platform1'), JSON.stringify(input));
    const offerId = `O${createHash('sha256').update(world.stub.txId).digest('hex').slice(0, 32)}`;
    expect(offerIdFor(world.stub.txId)).toBe(offerId);
    const stored = {
      offerId,
      assetId: FUND,
      sellerId: ALICE,
      sellerPlatform: P1,
      buyerId: CAROL,
      buyerPlatform: P2,
      units: 5,
      pricePerUnit: 12_000,
      expiresAt: input['expiresAt'],
      status: 'OPEN',
      createdAt: new Date(world.stub.txSeconds * 1000).toISOString(),
    };
    expect(result).toEqual({ outcome: 'OK', offer: stored });
    expect(json(world.stub.state.get(key('offer', offerId)))).toEqual(stored);
    expect(world.stub.events.at(-1)?.name).toBe('OfferCreated');
    expect(json(world.stub.events.at(-1)?.payload)).toEqual(stored);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 60, escrowed: 5 });
  });

  it.each([
    ['an offer to oneself', { buyerId: ALICE }, `SELF_TRADE: user ${ALICE} is the seller`],
    ['an unknown buyer', { buyerId: userIdOf(P2, 'ghost') }, 'USER_NOT_FOUND'],
    [
      'more than the free units',
      { units: 61 },
      `INSUFFICIENT_UNITS: seller ${ALICE} holds 60 free units of ${FUND}, 61 requested`,
    ],
    ['a past expiry', { expiresAt: '2020-01-01T00:00:00.000Z' }, 'INVALID_ARGUMENT: offerJson.expiresAt'],
    ['a missing buyer', { buyerId: undefined }, 'INVALID_ARGUMENT: offerJson.buyerId is required'],
  ])('refuses %s and writes nothing', async (_case, overrides, message) => {
    const world = await trading();
    const writes = world.stub.writes.length;
    await expect(offer(world, overrides)).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('refuses another platform, and a wrong seller key as a committed outcome', async () => {
    const world = await trading();
    await expect(offer(world, {}, KEYS.alice, 'platform2')).rejects.toThrow(
      `FORBIDDEN: only ${P1} may sell units of ${ALICE}`,
    );
    const writes = world.stub.writes.length;
    await expect(offer(world, {}, 'wrong')).resolves.toMatchObject({
      outcome: 'REFUSED',
      code: 'BAD_TRANSACTION_KEY',
    });
    expect(world.stub.writes.slice(writes).map((w) => w.collection)).toEqual([`${P1}Private`]);
  });
});

describe('OffersContract.Accept', () => {
  it("trades on the buyer's platform with the buyer's key, and records the offer accepted", async () => {
    const world = await trading();
    const offerId = await offered(world);
    const events = world.stub.events.length;
    const result = await accept(world, offerId);
    expect(result).toMatchObject({
      outcome: 'OK',
      trade: { via: 'OFFER', listingId: offerId, sellerId: ALICE, buyerId: CAROL, units: 5, amount: 60_000 },
      buyerCertificateDue: true,
      sellerCertificateRevoked: false,
    });
    const stored = json(world.stub.state.get(key('offer', offerId)));
    expect(stored).toMatchObject({ status: 'ACCEPTED' });
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['TradeExecuted']);
    expect(json(world.stub.events.at(-1)?.payload)).toMatchObject({
      offer: stored,
      buyerCertificateDue: true,
    });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 55, escrowed: 0 });
    expect(holding(world.stub, FUND, CAROL)).toMatchObject({ units: 5, certificate: 'DUE' });
    await expect(accept(world, offerId)).rejects.toThrow(`OFFER_CLOSED: offer ${offerId} is ACCEPTED`);
  });

  it("checks the buyer's key against the buyer's own platform collection", async () => {
    const world = await trading();
    const offerId = await offered(world);
    const writes = world.stub.writes.length;
    await expect(accept(world, offerId, KEYS.alice)).resolves.toMatchObject({ code: 'BAD_TRANSACTION_KEY' });
    expect(world.stub.writes.slice(writes).map((w) => [w.collection, w.key])).toEqual([
      [`${P2}Private`, key('transactionKey', CAROL)],
    ]);
    expect(json(world.stub.state.get(key('offer', offerId)))).toMatchObject({ status: 'OPEN' });
  });

  it("refuses the seller's platform, an expired offer and an unknown one", async () => {
    const world = await trading();
    const offerId = await offered(world, { expiresAt: isoIn(world.stub, DAY) });
    await expect(accept(world, offerId, KEYS.carol, 'platform1')).rejects.toThrow(
      `FORBIDDEN: only ${P2} may accept offers made to ${CAROL}`,
    );
    world.stub.txSeconds += DAY;
    await expect(accept(world, offerId)).rejects.toThrow(`OFFER_CLOSED: offer ${offerId} expired at`);
    const unknown = offerIdFor('nothing');
    await expect(accept(world, unknown)).rejects.toThrow(`OFFER_NOT_FOUND: no offer ${unknown} exists`);
  });
});

describe('OffersContract.Cancel and Expire', () => {
  it('lets the seller withdraw an open offer with their key, releasing the escrow', async () => {
    const world = await trading();
    const offerId = await offered(world);
    await expect(cancel(world, offerId, 'wrong')).resolves.toMatchObject({ outcome: 'REFUSED' });
    const result = await cancel(world, offerId);
    expect(result).toMatchObject({ outcome: 'OK', offer: { status: 'CANCELLED' } });
    expect(world.stub.events.at(-1)?.name).toBe('OfferCancelled');
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 0 });
    await expect(cancel(world, offerId)).rejects.toThrow('OFFER_CLOSED');
    await expect(accept(world, offerId)).rejects.toThrow(`OFFER_CLOSED: offer ${offerId} is CANCELLED`);
  });

  it("refuses the buyer's platform cancelling", async () => {
    const world = await trading();
    const offerId = await offered(world);
    world.useKey(KEYS.carol);
    await expect(contracts.offers.Cancel(world.as('platform2'), offerId)).rejects.toThrow(
      `FORBIDDEN: only ${P1} may cancel offers of ${ALICE}`,
    );
  });

  it("refuses another platform's early Expire and writes nothing: the escrow stays put", async () => {
    const world = await trading();
    const offerId = await offered(world, { expiresAt: isoIn(world.stub, DAY) });
    world.nextTx(DAY / 2);
    const escrowed = holding(world.stub, FUND, ALICE);
    const writes = world.stub.writes.length;
    const events = world.stub.events.length;
    await expect(contracts.offers.Expire(world.as('platform2'), offerId)).rejects.toThrow(/^NOT_EXPIRED: /);
    expect(world.stub.writes).toHaveLength(writes);
    expect(world.stub.events).toHaveLength(events);
    expect(holding(world.stub, FUND, ALICE)).toEqual(escrowed);
    expect(escrowed?.escrowed).toBeGreaterThan(0);
    await expect(contracts.offers.Get(world.as('auditor'), offerId)).resolves.toMatchObject({
      status: 'OPEN',
    });
  });

  it('expires an open offer after its time, for any platform or the admin, not auditors', async () => {
    const world = await trading();
    const offerId = await offered(world, { expiresAt: isoIn(world.stub, DAY) });
    await expect(contracts.offers.Expire(world.as('platform2'), offerId)).rejects.toThrow(
      `NOT_EXPIRED: offer ${offerId} expires at`,
    );
    world.nextTx(DAY);
    await expect(contracts.offers.Expire(world.as('auditor'), offerId)).rejects.toThrow('FORBIDDEN');
    await expect(contracts.offers.Expire(world.as('admin'), offerId)).resolves.toMatchObject({
      status: 'EXPIRED',
    });
    expect(world.stub.events.at(-1)?.name).toBe('OfferExpired');
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 0 });
    await expect(contracts.offers.Get(world.as('auditor'), offerId)).resolves.toMatchObject({
      status: 'EXPIRED',
    });
  });
});
