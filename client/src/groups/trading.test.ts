import { checkpointers } from '@hyperledger/fabric-gateway';
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
const KEY = 'correct horse battery staple';
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

/** The key never reaches the proposal's arguments, only the transient map. */
function expectKeyOnlyTransient(call: FakeCall | undefined): void {
  expect(call?.transientData['key']).toBe(KEY);
  expect(JSON.stringify(call?.arguments)).not.toContain(KEY);
}

const refused = (code: string) =>
  json({ outcome: 'REFUSED', code, sentence: `the transaction key of ${BUYER} was refused` });

describe('keys', () => {
  it('sends the key and a fresh random blind only in the transient map', async () => {
    const status = { userId: SELLER, failures: 0, locked: false, setAt: T };
    const context = new FakeContext(MSP, () => json(status));
    const keys = new KeysClient(context);
    expect(await keys.set(SELLER, KEY)).toEqual(status);
    await keys.set(SELLER, KEY);
    const [first, second] = context.calls;
    expect(first).toMatchObject({
      kind: 'submit',
      contract: 'keys',
      transaction: 'Set',
      arguments: [SELLER],
    });
    expectKeyOnlyTransient(first);
    expect(first?.transientData['blind']).toMatch(/^[0-9a-f]{64}$/);
    expect(second?.transientData['blind']).not.toBe(first?.transientData['blind']);
  });

  it('reads the status by evaluate', async () => {
    const context = new FakeContext(MSP, () =>
      json({ userId: SELLER, failures: 2, locked: false, setAt: T }),
    );
    expect((await new KeysClient(context).status(SELLER)).failures).toBe(2);
    expect(context.calls[0]).toMatchObject({ kind: 'evaluate', transaction: 'Status', arguments: [SELLER] });
  });
});

describe('listings', () => {
  it('creates with the terms as JSON and the key only in the transient map', async () => {
    const context = new FakeContext(MSP, () => json({ outcome: 'OK', listing }));
    const created = await new ListingsClient(context).create(
      { ...listing, expiresAt: new Date(listing.expiresAt) },
      { key: KEY },
    );
    expect(created).toEqual(listing);
    const [call] = context.calls;
    expect(call).toMatchObject({ kind: 'submit', contract: 'listings', transaction: 'Create' });
    expectKeyOnlyTransient(call);
    expect(JSON.parse(call?.arguments[0] ?? '')).toEqual({
      assetId: ASSET,
      sellerId: SELLER,
      units: 10,
      pricePerUnit: 12_345,
      minPerBuyer: 1,
      maxPerBuyer: 5,
      expiresAt: listing.expiresAt,
    });
  });

  it('throws a committed LOCKED refusal of cancel with its transaction ID', async () => {
    const context = new FakeContext(MSP, () => refused('LOCKED'));
    const error = await failure(new ListingsClient(context).cancel(LISTING_ID, { key: KEY }));
    expect(error).toMatchObject({ code: 'LOCKED', stage: 'commit', transactionId: 'tx-1' });
    expectKeyOnlyTransient(context.calls[0]);
  });

  it('expires by submit, with no key and no transient data, and throws the refusal', async () => {
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
  it('buys: units as digits, key only in the transient map, a typed result', async () => {
    const context = new FakeContext(MSP, () => json({ outcome: 'OK', ...tradeResult }));
    const result = await new TradesClient(context).buy(LISTING_ID, BUYER, 3, { key: KEY });
    expect(result).toEqual(tradeResult);
    const [call] = context.calls;
    expect(call).toMatchObject({ transaction: 'Buy', arguments: [LISTING_ID, BUYER, '3'] });
    expectKeyOnlyTransient(call);
  });

  it('throws a committed BAD_TRANSACTION_KEY refusal: never a success', async () => {
    const context = new FakeContext(MSP, () => refused('BAD_TRANSACTION_KEY'));
    const error = await failure(new TradesClient(context).buy(LISTING_ID, BUYER, 3, { key: KEY }));
    expect(error).toMatchObject({
      code: 'BAD_TRANSACTION_KEY',
      sentence: `the transaction key of ${BUYER} was refused`,
      stage: 'commit',
      transactionId: 'tx-1',
    });
  });

  it('retries a read conflict with a fresh transaction and reports the committed one', async () => {
    let n = 0;
    const context = new FakeContext(MSP, () => {
      n += 1;
      if (n === 1) {
        throw commitError('MVCC_READ_CONFLICT');
      }
      return refused('BAD_TRANSACTION_KEY');
    });
    const error = await failure(new TradesClient(context).buy(LISTING_ID, BUYER, 3, { key: KEY }));
    expect(error).toMatchObject({ code: 'BAD_TRANSACTION_KEY', transactionId: 'tx-2' });
  });

  it('rejects a result that is neither OK nor REFUSED', async () => {
    const context = new FakeContext(MSP, () => json({ outcome: 'MAYBE' }));
    const error = await failure(new TradesClient(context).buy(LISTING_ID, BUYER, 3, { key: KEY }));
    expect(error.code).toBe('BAD_RESPONSE');
  });

  it('checks, reads and pages without a key', async () => {
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
  it('creates, accepts and cancels with the key only in the transient map', async () => {
    const context = new FakeContext(MSP, (call) =>
      json(call.transaction === 'Accept' ? { outcome: 'OK', ...tradeResult } : { outcome: 'OK', offer }),
    );
    const offers = new OffersClient(context);
    expect(await offers.create({ ...offer }, { key: KEY })).toEqual(offer);
    expect(await offers.accept(OFFER_ID, { key: KEY })).toEqual(tradeResult);
    expect(await offers.cancel(OFFER_ID, { key: KEY })).toEqual(offer);
    for (const call of context.calls) {
      expectKeyOnlyTransient(call);
    }
    expect(JSON.parse(context.calls[0]?.arguments[0] ?? '')).toEqual({
      assetId: ASSET,
      sellerId: SELLER,
      buyerId: BUYER,
      units: 3,
      pricePerUnit: 100,
      expiresAt: offer.expiresAt,
    });
  });

  it('expires by submit, with no key, and throws OFFER_CLOSED for one no longer open', async () => {
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

  it('throws a refused accept', async () => {
    const context = new FakeContext(MSP, () => refused('LOCKED'));
    const error = await failure(new OffersClient(context).accept(OFFER_ID, { key: KEY }));
    expect(error).toMatchObject({ code: 'LOCKED', stage: 'commit', transactionId: 'tx-1' });
  });
});

describe('campaigns', () => {
  const settlement = {
    listing: { ...campaign, status: 'SUCCEEDED' },
    trades: [{ ...trade, via: 'CAMPAIGN' }],
    releases: [],
    certificatesDue: [BUYER],
    sellerCertificateRevoked: false,
  };

  it('creates, commits and withdraws with the key; settles without one', async () => {
    const context = new FakeContext(MSP, (call) => {
      switch (call.transaction) {
        case 'Create':
          return json({ outcome: 'OK', listing: campaign });
        case 'Settle':
          return json(settlement);
        default:
          return json({ outcome: 'OK', commitment, listing: campaign });
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
      { key: KEY },
    );
    expect(created.targetUnits).toBe(8);
    expect(await campaigns.commit(LISTING_ID, BUYER, 4, { key: KEY })).toEqual({
      commitment,
      listing: campaign,
    });
    await campaigns.withdraw(LISTING_ID, BUYER, { key: KEY });
    expect(await campaigns.settle(LISTING_ID)).toEqual(settlement);
    const [create, commit, withdraw, settle] = context.calls;
    for (const call of [create, commit, withdraw]) {
      expectKeyOnlyTransient(call);
    }
    expect(JSON.parse(create?.arguments[0] ?? '')).toMatchObject({
      targetUnits: 8,
      deadline: '2026-03-01T00:00:00.000Z',
    });
    expect(commit?.arguments).toEqual([LISTING_ID, BUYER, '4']);
    expect(withdraw?.arguments).toEqual([LISTING_ID, BUYER]);
    expect(settle).toMatchObject({ kind: 'submit', arguments: [LISTING_ID], transientData: {} });
  });

  it('throws a refused commit with its transaction ID', async () => {
    const context = new FakeContext(MSP, () => refused('BAD_TRANSACTION_KEY'));
    const error = await failure(new CampaignsClient(context).commit(LISTING_ID, BUYER, 4, { key: KEY }));
    expect(error).toMatchObject({ code: 'BAD_TRANSACTION_KEY', stage: 'commit', transactionId: 'tx-1' });
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
    certificatesDue: [SELLER, BUYER],
    sellerCertificateRevoked: false,
  });

  it('decodes TradeExecuted and the key events into their payload types', () => {
    const event = parseChaincodeEvent(tradeEvent);
    expect(event).toMatchObject({ name: 'TradeExecuted', payload: { trade, listing } });
    const refusedEvent = parseChaincodeEvent(
      chaincodeEvent(9, 'tx9', 'TransactionKeyRefused', { userId: BUYER, failures: 5, locked: true }),
    );
    expect(refusedEvent).toMatchObject({ name: 'TransactionKeyRefused', payload: { locked: true } });
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
