import { generateKeyPairSync } from 'node:crypto';
import { checkpointers } from '@hyperledger/fabric-gateway';
import {
  type ConsentRequest,
  keyIdOf,
  publicKeyText,
  readConsentRequest,
  verifyConsentSignature,
} from '@crowdledger/protocol';
import { consentSigner } from '../consent';
import { type CrowdLedgerError, isCrowdLedgerError } from '../errors';
import type { Commitment, Listing, Offer, Trade } from '../model';
import {
  chaincodeEvent,
  chaincodeRefusal,
  commitError,
  type FakeCall,
  FakeContext,
  json,
} from '../testing/fake-gateway';
import { CampaignsClient } from './campaigns';
import { AuditClient } from './audit';
import { CertificatesClient } from './certificates';
import { parseChaincodeEvent } from './event-types';
import { dueHoldingsIn } from './issuance';
import { KeysClient } from './keys';
import { ListingsClient } from './listings';
import { OffersClient } from './offers';
import { TradesClient } from './trades';
import { UsersClient } from './users';

const MSP = 'Platform1MSP';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_KEY = publicKeyText(publicKey);
const signer = consentSigner(privateKey);
/** The fake context's clock, and the expiry of a request made by it with the default lifetime. */
const NOW = '2026-01-01T00:00:00.000Z';
const EXPIRES = '2026-01-01T00:05:00.000Z';
const SELLER = `U${'1'.repeat(32)}`;
const BUYER = `U${'2'.repeat(32)}`;
const ASSET = `A${'3'.repeat(32)}`;
const LISTING_ID = `L${'4'.repeat(64)}`;
const OFFER_ID = `O${'5'.repeat(64)}`;
const T = '2026-01-01T00:00:00.000Z';

const listing: Listing = {
  listingId: LISTING_ID,
  kind: 'FIXED',
  assetId: ASSET,
  sellerId: SELLER,
  sellerPlatform: MSP,
  units: 10,
  remaining: 10,
  pricePerUnit: 12_345,
  minPerBuyer: 1,
  maxPerBuyer: 5,
  expiresAt: '2026-02-01T00:00:00.000Z',
  status: 'OPEN',
  createdAt: T,
};
const campaign: Listing = { ...listing, kind: 'CAMPAIGN', targetUnits: 8, investors: 1 };
const trade: Trade = {
  tradeId: `T${'6'.repeat(64)}`,
  via: 'FIXED',
  listingId: LISTING_ID,
  assetId: ASSET,
  sellerId: SELLER,
  buyerId: BUYER,
  sellerPlatform: MSP,
  buyerPlatform: 'Platform2MSP',
  units: 3,
  pricePerUnit: 12_345,
  amount: 37_035,
  executedAt: T,
};
const offer: Offer = {
  offerId: OFFER_ID,
  assetId: ASSET,
  sellerId: SELLER,
  sellerPlatform: MSP,
  buyerId: BUYER,
  buyerPlatform: MSP,
  units: 3,
  pricePerUnit: 100,
  expiresAt: '2026-02-01T00:00:00.000Z',
  status: 'OPEN',
  createdAt: T,
};
const commitment: Commitment = {
  listingId: LISTING_ID,
  buyerId: BUYER,
  buyerPlatform: MSP,
  units: 4,
  committedAt: T,
};
const tradeResult = { trade, buyerCertificateDue: true, sellerCertificateRevoked: false };

async function failure(call: Promise<unknown>): Promise<CrowdLedgerError> {
  try {
    await call;
  } catch (error) {
    if (isCrowdLedgerError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * A consent call's two arguments: the request's canonical text, and an
 * ES256 signature of it that verifies under the user's public key. Nothing
 * travels in the transient map. Returns the request.
 */
function signedRequest(call: FakeCall | undefined): ConsentRequest {
  if (call === undefined) {
    throw new Error('no such call');
  }
  expect(call.kind).toBe('submit');
  expect(call.transientData).toEqual({});
  expect(call.arguments).toHaveLength(2);
  const [text = '', signature = ''] = call.arguments;
  expect(verifyConsentSignature(PUBLIC_KEY, text, signature)).toBe(true);
  const reading = readConsentRequest(text);
  if (!reading.ok) {
    throw new Error(reading.problem);
  }
  return reading.request;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('keys', () => {
  it('registers the public key in a request signed by the new key itself', async () => {
    const key = {
      userId: SELLER,
      keyId: keyIdOf(PUBLIC_KEY),
      algorithm: 'ES256',
      publicKey: PUBLIC_KEY,
      registeredAt: T,
    };
    const context = new FakeContext(MSP, () => json(key));
    const keys = new KeysClient(context);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await keys.register(SELLER, pem, signer)).toEqual(key);
    await keys.register(SELLER, publicKey, signer, { requestId: 'rotation-0001' });
    const [first, second] = context.calls.map(signedRequest);
    expect(first).toEqual({
      action: 'keys:Register',
      params: { publicKey: PUBLIC_KEY, algorithm: 'ES256' },
      userId: SELLER,
      requestId: expect.stringMatching(UUID) as unknown,
      expiresAt: EXPIRES,
    });
    expect(second?.requestId).toBe('rotation-0001');
    expect(context.calls[0]).toMatchObject({ contract: 'keys', transaction: 'Register' });
  });

  it('reads a key by evaluate, and refuses a public key it cannot read before sending anything', async () => {
    const context = new FakeContext(MSP, () =>
      json({ userId: SELLER, keyId: 'k', algorithm: 'ES256', publicKey: PUBLIC_KEY, registeredAt: T }),
    );
    const keys = new KeysClient(context);
    expect((await keys.get(SELLER)).publicKey).toBe(PUBLIC_KEY);
    expect(context.calls[0]).toMatchObject({ kind: 'evaluate', transaction: 'Get', arguments: [SELLER] });
    const bad = await failure(
      keys.register(SELLER, '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----', signer),
    );
    expect(bad.code).toBe('KEY_INVALID');
    expect(context.calls).toHaveLength(1);
  });
});

describe('signing', () => {
  it('fails SIGNER_FAILED, sending nothing, when the signer throws or returns a DER signature', async () => {
    const context = new FakeContext(MSP, () => json(listing));
    const listings = new ListingsClient(context);
    const throwing = await failure(
      listings.cancel(LISTING_ID, SELLER, {
        signer: () => {
          throw new Error('the user declined on their phone');
        },
      }),
    );
    expect(throwing).toMatchObject({
      code: 'SIGNER_FAILED',
      sentence: 'the signer failed: the user declined on their phone',
    });
    const der = await failure(listings.cancel(LISTING_ID, SELLER, { signer: () => new Uint8Array(71) }));
    expect(der.code).toBe('SIGNER_FAILED');
    expect(context.calls).toHaveLength(0);
  });

  it('refuses an impossible expiry and a bad request ID before signing', async () => {
    let signed = 0;
    const counting = (bytes: Uint8Array): Uint8Array => {
      signed += 1;
      return signer(bytes) as Uint8Array;
    };
    const listings = new ListingsClient(new FakeContext(MSP, () => json(listing)));
    for (const expiresAt of ['2026-02-30T00:00:00.000Z', '2026-13-01T00:00:00.000Z', new Date(Number.NaN)]) {
      const error = await failure(listings.cancel(LISTING_ID, SELLER, { signer: counting, expiresAt }));
      expect(error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        sentence: expect.stringContaining('expiresAt must be') as unknown,
      });
    }
    const badId = await failure(listings.cancel(LISTING_ID, SELLER, { signer: counting, requestId: 'a b' }));
    expect(badId.code).toBe('INVALID_ARGUMENT');
    expect(signed).toBe(0);
  });

  it('dates a request by the client clock and lifetime, or by the call', async () => {
    const context = new FakeContext(MSP, () => json(listing));
    const listings = new ListingsClient(context);
    await listings.cancel(LISTING_ID, SELLER, { signer });
    await listings.cancel(LISTING_ID, SELLER, { signer, expiresAt: new Date('2026-01-01T00:30:00Z') });
    expect(context.calls.map((call) => signedRequest(call).expiresAt)).toEqual([
      EXPIRES,
      '2026-01-01T00:30:00.000Z',
    ]);
  });
});

describe('listings', () => {
  it("creates with the seller's signed request as the only arguments", async () => {
    const context = new FakeContext(MSP, () => json(listing));
    const created = await new ListingsClient(context).create(
      { ...listing, expiresAt: new Date(listing.expiresAt) },
      { signer },
    );
    expect(created).toEqual(listing);
    const [call] = context.calls;
    expect(call).toMatchObject({ contract: 'listings', transaction: 'Create' });
    expect(signedRequest(call)).toEqual({
      action: 'listings:Create',
      params: {
        assetId: ASSET,
        units: 10,
        pricePerUnit: 12_345,
        minPerBuyer: 1,
        maxPerBuyer: 5,
        expiresAt: listing.expiresAt,
      },
      userId: SELLER,
      requestId: expect.stringMatching(UUID) as unknown,
      expiresAt: EXPIRES,
    });
  });

  it('throws a refused cancel with its code at endorsement: nothing was written', async () => {
    const context = new FakeContext(MSP, () => {
      throw chaincodeRefusal(
        'CONSENT_SIGNATURE_INVALID',
        `request r is not signed by the transaction key of ${SELLER}`,
      );
    });
    const error = await failure(new ListingsClient(context).cancel(LISTING_ID, SELLER, { signer }));
    expect(error).toMatchObject({ code: 'CONSENT_SIGNATURE_INVALID', stage: 'endorse' });
    expect(signedRequest(context.calls[0])).toMatchObject({
      action: 'listings:Cancel',
      params: { listingId: LISTING_ID },
    });
  });

  it('expires by submit, with no signature and no transient data, and throws the refusal', async () => {
    const expired = { ...listing, status: 'EXPIRED' };
    const context = new FakeContext(MSP, (call) => {
      if (call.arguments[0] === LISTING_ID) {
        return json(expired);
      }
      throw chaincodeRefusal('NOT_EXPIRED', `listing ${String(call.arguments[0])} expires at …, not before`);
    });
    const listings = new ListingsClient(context);
    expect(await listings.expire(LISTING_ID)).toEqual(expired);
    expect(context.calls[0]).toMatchObject({
      kind: 'submit',
      contract: 'listings',
      transaction: 'Expire',
      arguments: [LISTING_ID],
      transientData: {},
    });
    const other = `L${'7'.repeat(64)}`;
    expect(await failure(listings.expire(other))).toMatchObject({ code: 'NOT_EXPIRED', stage: 'endorse' });
  });

  it('walks every page of the open listings', async () => {
    const pages: Record<string, unknown> = {
      '': { records: [listing], bookmark: 'b1', fetched: 1 },
      b1: { records: [campaign], bookmark: '', fetched: 1 },
    };
    const context = new FakeContext(MSP, (call) => json(pages[call.arguments[1] ?? '']));
    const seen: Listing[] = [];
    for await (const open of new ListingsClient(context).allOpen(2)) {
      seen.push(open);
    }
    expect(seen).toEqual([listing, campaign]);
    expect(context.calls.map((c) => c.arguments)).toEqual([
      ['2', ''],
      ['2', 'b1'],
    ]);
  });
});

describe('trades', () => {
  it("buys with the buyer's signature over the listing, units and the listing's price", async () => {
    const context = new FakeContext(MSP, (call) => json(call.transaction === 'Get' ? listing : tradeResult));
    const result = await new TradesClient(context).buy(LISTING_ID, BUYER, 3, { signer });
    expect(result).toEqual(tradeResult);
    const [read] = context.contracts.get('listings')?.calls ?? [];
    const [call] = context.contracts.get('trades')?.calls ?? [];
    expect(read).toMatchObject({ kind: 'evaluate', transaction: 'Get', arguments: [LISTING_ID] });
    expect(call).toMatchObject({ contract: 'trades', transaction: 'Buy' });
    expect(signedRequest(call)).toMatchObject({
      action: 'trades:Buy',
      params: { listingId: LISTING_ID, units: 3, pricePerUnit: 12_345 },
      userId: BUYER,
    });
  });

  it('signs the price the caller gives without reading the listing', async () => {
    const context = new FakeContext(MSP, () => json(tradeResult));
    await new TradesClient(context).buy(LISTING_ID, BUYER, 3, {
      signer,
      pricePerUnit: 12_000,
      requestId: 'buy-00000001',
    });
    expect(context.calls).toHaveLength(1);
    expect(signedRequest(context.calls[0])).toMatchObject({
      params: { pricePerUnit: 12_000 },
      requestId: 'buy-00000001',
    });
  });

  it('retries a read conflict with the same signed request, signed once', async () => {
    let n = 0;
    let signatures = 0;
    const context = new FakeContext(MSP, () => {
      n += 1;
      if (n === 1) {
        throw commitError('MVCC_READ_CONFLICT');
      }
      return json(tradeResult);
    });
    const counting = (bytes: Uint8Array): Uint8Array => {
      signatures += 1;
      return signer(bytes) as Uint8Array;
    };
    await new TradesClient(context).buy(LISTING_ID, BUYER, 3, { signer: counting, pricePerUnit: 1 });
    const [first, second] = context.calls;
    expect(second?.arguments).toEqual(first?.arguments);
    expect(signatures).toBe(1);
  });

  it('rejects a result that is not a trade result', async () => {
    const context = new FakeContext(MSP, () => json({ outcome: 'OK' }));
    const error = await failure(
      new TradesClient(context).buy(LISTING_ID, BUYER, 3, { signer, pricePerUnit: 1 }),
    );
    expect(error.code).toBe('BAD_RESPONSE');
  });

  it('checks, reads and pages without a signature', async () => {
    const context = new FakeContext(MSP, (call) => {
      switch (call.transaction) {
        case 'CanBuy':
          return json({ ok: false, code: 'LIMIT_EXCEEDED', sentence: 'at most 5 units per buyer' });
        case 'Get':
          return json(trade);
        default:
          return json({ records: [trade], bookmark: '', fetched: 1 });
      }
    });
    const trades = new TradesClient(context);
    expect(await trades.canBuy(LISTING_ID, BUYER, 9)).toEqual({
      ok: false,
      code: 'LIMIT_EXCEEDED',
      sentence: 'at most 5 units per buyer',
    });
    expect(await trades.get(trade.tradeId)).toEqual(trade);
    expect((await trades.byAsset(ASSET)).records).toEqual([trade]);
    await trades.byUser(BUYER, { pageSize: 10, bookmark: 'x' });
    expect((await trades.byPlatform('Platform2MSP')).records).toEqual([trade]);
    const from = new Date(Date.UTC(2025, 0, 31, 8));
    await trades.byPlatform('Platform1MSP', { from, to: '2025-02-01T00:00:00+08:00' }, { pageSize: 5 });
    await trades.byTime({ to: from }, { bookmark: 'b' });
    expect(context.calls.map((c) => [c.kind, c.transaction, ...c.arguments])).toEqual([
      ['evaluate', 'CanBuy', LISTING_ID, BUYER, '9'],
      ['evaluate', 'Get', trade.tradeId],
      ['evaluate', 'ByAsset', ASSET, '100', ''],
      ['evaluate', 'ByUser', BUYER, '10', 'x'],
      ['evaluate', 'ByPlatform', 'Platform2MSP', '/', '100', ''],
      [
        'evaluate',
        'ByPlatform',
        'Platform1MSP',
        '2025-01-31T08:00:00.000Z/2025-02-01T00:00:00+08:00',
        '5',
        '',
      ],
      ['evaluate', 'ByTime', '/2025-01-31T08:00:00.000Z', '100', 'b'],
    ]);
  });
});

describe('offers', () => {
  it("creates, accepts and cancels with each user's signed request", async () => {
    const context = new FakeContext(MSP, (call) => json(call.transaction === 'Accept' ? tradeResult : offer));
    const offers = new OffersClient(context);
    expect(await offers.create({ ...offer }, { signer })).toEqual(offer);
    expect(await offers.accept(OFFER_ID, BUYER, { signer })).toEqual(tradeResult);
    expect(await offers.cancel(OFFER_ID, SELLER, { signer })).toEqual(offer);
    const [create, read, accept, cancel] = context.calls;
    expect(signedRequest(create)).toMatchObject({
      action: 'offers:Create',
      userId: SELLER,
      params: { assetId: ASSET, buyerId: BUYER, units: 3, pricePerUnit: 100, expiresAt: offer.expiresAt },
    });
    expect(read).toMatchObject({ kind: 'evaluate', transaction: 'Get', arguments: [OFFER_ID] });
    expect(signedRequest(accept)).toMatchObject({
      action: 'offers:Accept',
      userId: BUYER,
      params: { offerId: OFFER_ID, units: 3, pricePerUnit: 100 },
    });
    expect(signedRequest(cancel)).toMatchObject({
      action: 'offers:Cancel',
      userId: SELLER,
      params: { offerId: OFFER_ID },
    });
  });

  it('expires by submit, with no signature, and throws OFFER_CLOSED for one no longer open', async () => {
    const expired = { ...offer, status: 'EXPIRED' };
    let closed = false;
    const context = new FakeContext(MSP, () => {
      if (closed) {
        throw chaincodeRefusal('OFFER_CLOSED', `offer ${OFFER_ID} is EXPIRED`);
      }
      closed = true;
      return json(expired);
    });
    const offers = new OffersClient(context);
    expect(await offers.expire(OFFER_ID)).toEqual(expired);
    expect(context.calls[0]).toMatchObject({
      kind: 'submit',
      contract: 'offers',
      transaction: 'Expire',
      arguments: [OFFER_ID],
      transientData: {},
    });
    expect(await failure(offers.expire(OFFER_ID))).toMatchObject({ code: 'OFFER_CLOSED' });
  });

  it('throws a refused accept, with the terms the caller gave signed', async () => {
    const context = new FakeContext(MSP, () => {
      throw chaincodeRefusal(
        'CONSENT_TERMS_MISMATCH',
        `request r of ${BUYER} was signed for units 2, but offer ${OFFER_ID} has units 3`,
      );
    });
    const error = await failure(
      new OffersClient(context).accept(OFFER_ID, BUYER, { signer, units: 2, pricePerUnit: 100 }),
    );
    expect(error).toMatchObject({ code: 'CONSENT_TERMS_MISMATCH', stage: 'endorse' });
    expect(signedRequest(context.calls[0]).params).toEqual({
      offerId: OFFER_ID,
      units: 2,
      pricePerUnit: 100,
    });
  });
});

describe('campaigns', () => {
  const settled = { ...commitment, txId: 'a'.repeat(64), allocatedUnits: 4, amount: 400, refund: 0 };
  const settlement = {
    listing: { ...campaign, status: 'SUCCEEDED' },
    trades: [{ ...trade, via: 'CAMPAIGN' }],
    releases: [],
    settled: [settled],
    pending: 0,
    certificatesDue: [BUYER],
    sellerCertificateRevoked: false,
  };

  it('creates, commits and withdraws with a signature; settles without one', async () => {
    const context = new FakeContext(MSP, (call) => {
      switch (call.transaction) {
        case 'Create':
          return json(campaign);
        case 'Settle':
          return json(settlement);
        default:
          return json({ commitment, listing: campaign });
      }
    });
    const campaigns = new CampaignsClient(context);
    const created = await campaigns.create(
      {
        assetId: ASSET,
        sellerId: SELLER,
        units: 10,
        targetUnits: 8,
        pricePerUnit: 100,
        minPerInvestor: 1,
        maxPerInvestor: 5,
        deadline: '2026-03-01T00:00:00.000Z',
      },
      { signer },
    );
    expect(created.targetUnits).toBe(8);
    expect(await campaigns.commit(LISTING_ID, BUYER, 4, { signer, pricePerUnit: 100 })).toEqual({
      commitment,
      listing: campaign,
    });
    await campaigns.withdraw(LISTING_ID, BUYER, { signer });
    expect(await campaigns.settle(LISTING_ID)).toEqual(settlement);
    const [create, commit, withdraw, settle] = context.calls;
    expect(signedRequest(create)).toMatchObject({
      action: 'campaigns:Create',
      userId: SELLER,
      params: { targetUnits: 8, deadline: '2026-03-01T00:00:00.000Z', allocation: 'FIRST_COME' },
    });
    expect(signedRequest(commit)).toMatchObject({
      action: 'campaigns:Commit',
      userId: BUYER,
      params: { listingId: LISTING_ID, units: 4, pricePerUnit: 100 },
    });
    expect(signedRequest(withdraw)).toMatchObject({
      action: 'campaigns:Withdraw',
      params: { listingId: LISTING_ID },
    });
    expect(settle).toMatchObject({ kind: 'submit', arguments: [LISTING_ID], transientData: {} });
  });

  it('settles step by step until nothing is pending, and returns the steps merged', async () => {
    const other = `U${'9'.repeat(32)}`;
    const steps = [
      { ...settlement, listing: { ...campaign, status: 'OPEN' }, certificatesDue: [], pending: 1 },
      {
        ...settlement,
        trades: [],
        releases: [{ ...settled, buyerId: other, allocatedUnits: 0, amount: 0, refund: 400 }],
        settled: [{ ...settled, buyerId: other, allocatedUnits: 0, amount: 0, refund: 400 }],
        certificatesDue: [],
      },
    ];
    const context = new FakeContext(MSP, () => json(steps.shift()));
    const merged = await new CampaignsClient(context).settle(LISTING_ID);
    expect(context.calls.map((c) => c.transaction)).toEqual(['Settle', 'Settle']);
    expect(merged).toMatchObject({
      listing: { status: 'SUCCEEDED' },
      pending: 0,
      trades: [settlement.trades[0]],
    });
    expect(merged.settled.map((c) => [c.buyerId, c.allocatedUnits])).toEqual([
      [BUYER, 4],
      [other, 0],
    ]);
    expect(merged.releases).toHaveLength(1);
  });

  it('sends the allocation rule the caller chose in the signed terms', async () => {
    const context = new FakeContext(MSP, () => json({ ...campaign, allocation: 'PRO_RATA' }));
    const created = await new CampaignsClient(context).create(
      {
        assetId: ASSET,
        sellerId: SELLER,
        units: 10,
        targetUnits: 8,
        pricePerUnit: 100,
        minPerInvestor: 1,
        maxPerInvestor: 5,
        deadline: '2026-03-01T00:00:00.000Z',
        allocation: 'PRO_RATA',
      },
      { signer },
    );
    expect(created.allocation).toBe('PRO_RATA');
    expect(signedRequest(context.calls[0]).params).toMatchObject({ allocation: 'PRO_RATA' });
  });

  it("reads the campaign's price when the caller gives none", async () => {
    const context = new FakeContext(MSP, (call) =>
      json(call.transaction === 'Get' ? campaign : { commitment, listing: campaign }),
    );
    await new CampaignsClient(context).commit(LISTING_ID, BUYER, 4, { signer });
    expect(context.contracts.get('listings')?.calls).toMatchObject([
      { kind: 'evaluate', transaction: 'Get' },
    ]);
    expect(signedRequest(context.contracts.get('campaigns')?.calls[0]).params).toMatchObject({
      pricePerUnit: 12_345,
    });
  });

  it('checks and lists commitments by evaluate', async () => {
    const context = new FakeContext(MSP, (call) =>
      json(call.transaction === 'CanCommit' ? { ok: true, sentence: 'would pass' } : [commitment]),
    );
    const campaigns = new CampaignsClient(context);
    expect(await campaigns.canCommit(LISTING_ID, BUYER, 4)).toEqual({ ok: true, sentence: 'would pass' });
    expect(await campaigns.commitments(LISTING_ID)).toEqual([commitment]);
    expect(context.calls.every((c) => c.kind === 'evaluate')).toBe(true);
  });
});

describe('trading events', () => {
  const tradeEvent = chaincodeEvent(7, 'tx7', 'TradeExecuted', { ...tradeResult, listing });
  const settledEvent = chaincodeEvent(8, 'tx8', 'CampaignSettled', {
    listing: { ...campaign, status: 'SUCCEEDED' },
    trades: [],
    releases: [],
    settled: [],
    pending: 0,
    certificatesDue: [SELLER, BUYER],
    sellerCertificateRevoked: false,
  });

  it('decodes TradeExecuted and the key event into their payload types', () => {
    const event = parseChaincodeEvent(tradeEvent);
    expect(event).toMatchObject({ name: 'TradeExecuted', payload: { trade, listing } });
    const key = {
      userId: BUYER,
      keyId: keyIdOf(PUBLIC_KEY),
      algorithm: 'ES256',
      publicKey: PUBLIC_KEY,
      registeredAt: NOW,
    };
    const registered = parseChaincodeEvent(
      chaincodeEvent(9, 'tx9', 'TransactionKeyRegistered', { ...key, replacedKeyId: 'a'.repeat(64) }),
    );
    expect(registered).toMatchObject({
      name: 'TransactionKeyRegistered',
      payload: { ...key, replacedKeyId: 'a'.repeat(64) },
    });
  });

  it('announces the certificates a trade or a settlement made due', () => {
    expect(dueHoldingsIn(parseChaincodeEvent(tradeEvent))).toEqual([{ assetId: ASSET, holderId: BUYER }]);
    const noneDue = chaincodeEvent(7, 'tx7', 'TradeExecuted', { ...tradeResult, buyerCertificateDue: false });
    expect(dueHoldingsIn(parseChaincodeEvent(noneDue))).toEqual([]);
    expect(dueHoldingsIn(parseChaincodeEvent(settledEvent))).toEqual([
      { assetId: ASSET, holderId: SELLER },
      { assetId: ASSET, holderId: BUYER },
    ]);
  });

  it("makes issueDue skip another platform's buyer of a trade", async () => {
    const context = new FakeContext(
      MSP,
      (call) =>
        json({
          userId: call.arguments[0],
          platform: 'Platform2MSP',
          status: 'ACTIVE',
          commitment: 'c',
          registeredAt: T,
        }),
      [tradeEvent],
    );
    context.height = 8n;
    const certificates = new CertificatesClient(context, new UsersClient(context), new AuditClient(context));
    const report = await certificates.issueDue({ checkpoint: checkpointers.inMemory(), idleMs: 50 });
    expect(report).toEqual({
      issued: [],
      revoked: [],
      skipped: [{ assetId: ASSET, holderId: BUYER, reason: 'OTHER_PLATFORM' }],
      failed: [],
      recovered: 0,
      eventsRead: 1,
    });
  });
});

describe('audit', () => {
  it('pages a record history like every other list, and walks every page', async () => {
    const version = (txId: string): unknown => ({ txId, timestamp: T, isDelete: false, value: offer });
    const pages: Record<string, unknown> = {
      '': { records: [version('t3'), version('t2')], bookmark: 't2', fetched: 2 },
      t2: { records: [version('t1')], bookmark: '', fetched: 1 },
    };
    const context = new FakeContext(MSP, (call) => json(pages[call.arguments[3] ?? '']));
    const audit = new AuditClient(context);
    const first = await audit.historyPage('offer', OFFER_ID, { pageSize: 2 });
    expect(first.records.map((e) => e.txId)).toEqual(['t3', 't2']);
    const all = await audit.history('offer', OFFER_ID);
    expect(all.map((e) => e.txId)).toEqual(['t3', 't2', 't1']);
    expect(context.calls.map((c) => [c.transaction, ...c.arguments])).toEqual([
      ['History', 'offer', OFFER_ID, '2', ''],
      ['History', 'offer', OFFER_ID, '100', ''],
      ['History', 'offer', OFFER_ID, '100', 't2'],
    ]);
  });
});
