import { createHash } from 'node:crypto';
import type { Offer } from '../model/offer';
import type { TradeResult } from '../model/trade-result';
import { offerIdFor } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  accept as acceptOffer,
  act,
  type ActOptions,
  createOffer,
  DAY,
  holding,
  isoIn,
  json,
  key,
  offerInput,
  WINDOW,
} from '../testing/trading';
import { ALICE, BOB, CAROL, contracts, FUND, KEYS, P1, P2, userIdOf, World } from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

async function trading(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

async function offer(
  world: World,
  overrides: Record<string, unknown> = {},
  options: ActOptions = {},
): Promise<Offer> {
  return createOffer(world, offerInput(world.stub, overrides), options);
}

async function offered(world: World, overrides: Record<string, unknown> = {}): Promise<string> {
  return (await offer(world, overrides)).offerId;
}

async function accept(world: World, offerId: string, options: ActOptions = {}): Promise<TradeResult> {
  return acceptOffer(world, offerId, CAROL, options);
}

async function cancel(world: World, offerId: string, options: ActOptions = {}): Promise<Offer> {
  return act(world, 'offers:Cancel', ALICE, { offerId }, options);
}

describe('OffersContract.Create', () => {
  it('escrows the units and stores the offer for the named buyer', async () => {
    const world = await trading();
    const input = offerInput(world.stub);
    const result = await createOffer(world, input);
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
    expect(result).toEqual(stored);
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
    ['a past expiry', { expiresAt: '2020-01-01T00:00:00.000Z' }, 'INVALID_ARGUMENT: params.expiresAt'],
    [
      'a missing buyer',
      { buyerId: undefined },
      'CONSENT_MALFORMED: the signed request cannot be read: params of offers:Create',
    ],
  ])('refuses %s and writes nothing', async (_case, overrides, message) => {
    const world = await trading();
    const writes = world.stub.writes.length;
    await expect(offer(world, overrides)).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it("refuses another platform, and a request not signed by the seller's key", async () => {
    const world = await trading();
    await expect(offer(world, {}, { as: 'platform2' })).rejects.toThrow(
      `FORBIDDEN: only ${P1} may act for ${ALICE}`,
    );
    const writes = world.stub.writes.length;
    await expect(offer(world, {}, { key: KEYS.carol })).rejects.toThrow(/^CONSENT_SIGNATURE_INVALID: /);
    expect(world.stub.writes).toHaveLength(writes);
  });
});

describe('OffersContract.Accept', () => {
  it("trades on the buyer's platform with the buyer's key, and records the offer accepted", async () => {
    const world = await trading();
    const offerId = await offered(world);
    const events = world.stub.events.length;
    const result = await accept(world, offerId);
    expect(result).toMatchObject({
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

  it("refuses the seller's key, another user's consent and terms other than the offer's", async () => {
    const world = await trading();
    const offerId = await offered(world);
    const writes = world.stub.writes.length;
    await expect(accept(world, offerId, { key: KEYS.alice })).rejects.toThrow(/^CONSENT_SIGNATURE_INVALID: /);
    await expect(acceptOffer(world, offerId, BOB)).rejects.toThrow(
      `CONSENT_USER_MISMATCH: request request-0006 is signed by ${BOB}, but offer ${offerId} is ${CAROL}'s`,
    );
    await expect(acceptOffer(world, offerId, CAROL, { units: 4 })).rejects.toThrow(
      `CONSENT_TERMS_MISMATCH: request request-0007 of ${CAROL} was signed for units 4, but offer ${offerId} has units 5`,
    );
    await expect(acceptOffer(world, offerId, CAROL, { pricePerUnit: 11_000 })).rejects.toThrow(
      'CONSENT_TERMS_MISMATCH',
    );
    expect(world.stub.writes).toHaveLength(writes);
    expect(json(world.stub.state.get(key('offer', offerId)))).toMatchObject({ status: 'OPEN' });
  });

  it("refuses the seller's platform, an offer within a time window of expiring and an unknown one", async () => {
    const world = await trading();
    const expiresAt = isoIn(world.stub, DAY);
    const offerId = await offered(world, { expiresAt });
    await expect(accept(world, offerId, { as: 'platform1' })).rejects.toThrow(
      `FORBIDDEN: only ${P2} may act for ${CAROL}`,
    );
    world.stub.txSeconds = Date.parse(expiresAt) / 1000 - WINDOW - 1;
    await expect(accept(world, offerId)).rejects.toThrow(
      `OFFER_CLOSED: offer ${offerId} expires at ${expiresAt} and could be accepted until ${isoIn(world.stub, 0)}, one proposal time window before`,
    );
    const unknown = offerIdFor('nothing');
    await expect(accept(world, unknown)).rejects.toThrow(`OFFER_NOT_FOUND: no offer ${unknown} exists`);
  });
});

describe('OffersContract.Cancel and Expire', () => {
  it('lets the seller withdraw an open offer with their signature, releasing the escrow', async () => {
    const world = await trading();
    const offerId = await offered(world);
    await expect(cancel(world, offerId, { key: KEYS.stranger })).rejects.toThrow('CONSENT_SIGNATURE_INVALID');
    const result = await cancel(world, offerId);
    expect(result).toMatchObject({ status: 'CANCELLED' });
    expect(world.stub.events.at(-1)?.name).toBe('OfferCancelled');
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 0 });
    await expect(cancel(world, offerId)).rejects.toThrow('OFFER_CLOSED');
    await expect(accept(world, offerId)).rejects.toThrow(`OFFER_CLOSED: offer ${offerId} is CANCELLED`);
  });

  it("refuses the buyer's cancel and the buyer's platform relaying the seller's", async () => {
    const world = await trading();
    const offerId = await offered(world);
    await expect(act(world, 'offers:Cancel', CAROL, { offerId })).rejects.toThrow(
      `CONSENT_USER_MISMATCH: request request-0005 is signed by ${CAROL}, but offer ${offerId} is ${ALICE}'s`,
    );
    await expect(cancel(world, offerId, { as: 'platform2' })).rejects.toThrow(
      `FORBIDDEN: only ${P1} may act for ${ALICE}`,
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
    await expect(contracts.offers.Expire(world.as('admin'), offerId)).rejects.toThrow(/^NOT_EXPIRED: /);
    world.nextTx(WINDOW);
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
