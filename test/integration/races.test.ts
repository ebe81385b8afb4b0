import type { Transaction } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Connection,
  CrowdLedger,
  type CrowdLedgerClient,
  type Holding,
  type Listing,
  PROPOSAL_TIME_WINDOW_MS,
  toCrowdLedgerError,
} from '../../client/src';
import {
  connectAs,
  eventually,
  newPerson,
  outcome,
  profilePath,
  registerUserKey,
  signedArguments,
  uniqueSuffix,
  type UserKey,
} from './support';
import { fundAsset } from '../support/assets';

/**
 * Races on the real network (issue #20): many parties acting on the same
 * units at once, through both platforms. Exactly what exists moves; every
 * other attempt ends with a protocol code that says why, and nothing else is
 * written. Every party retries what Fabric reports as a read gone stale, as a
 * platform would, until its answer is final.
 */

type Platform = 'platform1' | 'platform2';

const W = PROPOSAL_TIME_WINDOW_MS;
const run = uniqueSuffix();
const PRICE = 100;
const BUYERS = 100;
const LISTED = 10;
const SIMULTANEOUS_LISTINGS = 50;
const PER_LISTING = 8;
const HOLDING = 100;
const AT_EXPIRY = 10;
/** One race between a buy and an expire per seller, so that no two races touch the same holding. */
const EXPIRY_SELLERS = 2;

/** A read gone stale at commit, or already at endorsement (the two endorsers simulated either side of a block). */
const STALE = /MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT|ProposalResponsePayloads do not match/;

const platforms: Record<Platform, CrowdLedgerClient> = {} as Record<Platform, CrowdLedgerClient>;
let assetId = '';
const seller = { listing: '', holder: '' };
const keys = new Map<string, UserKey>();
const expirySellers: string[] = [];

async function newUser(platform: Platform, label: string): Promise<string> {
  const client = platforms[platform];
  const { userId } = await client.users.register(newPerson(`race-${label}`));
  // Committed on this platform's peer need not mean on the registry's yet: under load the other endorser
  // may still answer USER_NOT_FOUND for a moment.
  keys.set(userId, await eventually(() => registerUserKey(client, userId), 30_000));
  return userId;
}

function keyOf(userId: string): UserKey {
  const key = keys.get(userId);
  if (key === undefined) {
    throw new Error(`no key for ${userId}`);
  }
  return key;
}

/** What each race's parties retried, by what Fabric said, for the report. */
const retried: Record<string, number> = {};

/**
 * 'OK' or the final code: a stale read is tried again with a freshly signed
 * request (the failed attempt wrote nothing), for at most two minutes.
 */
async function finalOutcome(act: () => Promise<unknown>): Promise<string> {
  const deadline = Date.now() + 120_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await act();
      return 'OK';
    } catch (error) {
      const coded = toCrowdLedgerError(error);
      if (!STALE.test(`${coded.code} ${coded.message}`) || Date.now() > deadline) {
        return coded.code;
      }
      const why = STALE.exec(`${coded.code} ${coded.message}`)?.[0] ?? coded.code;
      retried[why] = (retried[why] ?? 0) + 1;
      await sleep(50 + Math.random() * Math.min(1_000, 100 * attempt));
    }
  }
}

function tally(results: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    counts[r] = (counts[r] ?? 0) + 1;
  }
  return counts;
}

async function holdingOf(userId: string): Promise<Holding | undefined> {
  const portfolio = await platforms.platform1.users.portfolio(userId);
  return portfolio.holdings.find((h) => h.assetId === assetId);
}

/** Every unit of the asset, as its cap table holds them: held units never change, whoever holds them. */
async function unitsHeld(): Promise<number> {
  const table = await platforms.platform2.assets.capTable(assetId);
  expect(table.holders.every((h) => h.holding.escrowed >= 0 && h.holding.escrowed <= h.holding.units)).toBe(
    true,
  );
  return table.holders.reduce((sum, h) => sum + h.holding.units, 0);
}

function inAnHour(): Date {
  return new Date(Date.now() + 3_600_000);
}

/** A listing that closes for buyers a moment after it opens, and the buy and expire that race at its expiry. */
interface ExpiryRace {
  readonly sellerId: string;
  readonly buyerId: string;
  readonly listing: Listing;
  /** Platform2's buy for its user, endorsed while purchases were still open, not yet submitted. */
  readonly buy: Transaction;
}

let buyerConnection: Connection;
let expirerConnection: Connection;
const expiryRaces: ExpiryRace[] = [];

/**
 * Lists AT_EXPIRY units that expire just over a proposal time window from now
 * (the least a listing may have), and has Platform2 endorse a buy of 4 of
 * them at once, before purchases close one window ahead of the expiry.
 */
async function prepareExpiryRace(sellerId: string, buyerId: string): Promise<ExpiryRace> {
  const expiresAt = new Date(Date.now() + W + 8_000);
  const listing = await platforms.platform1.listings.create(
    {
      assetId,
      sellerId,
      units: AT_EXPIRY,
      pricePerUnit: PRICE,
      minPerBuyer: 1,
      maxPerBuyer: AT_EXPIRY,
      expiresAt,
    },
    keyOf(sellerId),
  );
  const args = signedArguments(
    'trades:Buy',
    buyerId,
    { listingId: listing.listingId, units: 4, pricePerUnit: PRICE },
    keyOf(buyerId).privateKey,
  );
  const buy = await buyerConnection.contract('trades').newProposal('Buy', { arguments: args }).endorse();
  return { sellerId, buyerId, listing, buy };
}

beforeAll(async () => {
  const retry = { attempts: 20, baseDelayMs: 50, maxDelayMs: 1_000 };
  for (const p of ['platform1', 'platform2'] as const) {
    platforms[p] = await CrowdLedger.connect({ profile: profilePath(p), identity: 'app', retry });
  }
  buyerConnection = await connectAs('platform2');
  expirerConnection = await connectAs('platform1');
  seller.listing = await newUser('platform1', 'seller');
  seller.holder = await newUser('platform1', 'holder');
  for (let i = 0; i < EXPIRY_SELLERS; i += 1) {
    expirySellers.push(await newUser('platform1', `expiry-seller-${String(i)}`));
  }
  assetId = (
    await platforms.platform1.assets.register(
      fundAsset(
        `race-${run}`,
        [
          { userId: seller.listing, units: LISTED },
          { userId: seller.holder, units: HOLDING },
          ...expirySellers.map((userId) => ({ userId, units: AT_EXPIRY })),
        ],
        { name: '竞争测试', description: 'races' },
      ),
    )
  ).assetId;
  const expiryBuyers = await Promise.all(
    expirySellers.map((_, i) => newUser('platform2', `expiry-buyer-${String(i)}`)),
  );
  for (const [i, sellerId] of expirySellers.entries()) {
    expiryRaces.push(await prepareExpiryRace(sellerId, expiryBuyers[i] ?? ''));
  }
});

afterAll(() => {
  console.info('stale reads retried past the SDK: %j', retried);
  platforms.platform1.close();
  platforms.platform2.close();
  buyerConnection.close();
  expirerConnection.close();
});

describe('at a listing’s expiry, before either side may act', () => {
  it('refuses a fresh buy and a fresh expire sent together from both platforms, and writes nothing', async () => {
    const [first] = expiryRaces;
    if (first === undefined) {
      throw new Error('no expiry race prepared');
    }
    // Purchases close one window before the expiry; expiring opens one window after it.
    await sleep(Math.max(0, Date.parse(first.listing.expiresAt) - W - Date.now() + 500));
    const [bought, expired] = await Promise.all([
      outcome(
        platforms.platform2.trades.buy(first.listing.listingId, first.buyerId, 1, {
          ...keyOf(first.buyerId),
          pricePerUnit: PRICE,
        }),
      ),
      outcome(platforms.platform1.listings.expire(first.listing.listingId)),
    ]);
    expect({ bought, expired }).toEqual({ bought: 'LISTING_CLOSED', expired: 'NOT_EXPIRED' });
    expect(await platforms.platform1.listings.get(first.listing.listingId)).toEqual(first.listing);
  });
});

describe(`${String(BUYERS)} buyers across both platforms on one ${String(LISTED)}-unit listing`, () => {
  it('sell exactly the listed units, one to each of ten buyers; every other buyer is told why', async () => {
    const buyers = await Promise.all(
      Array.from({ length: BUYERS }, (_, i) =>
        newUser(i % 2 === 0 ? 'platform1' : 'platform2', `buyer-${String(i)}`),
      ),
    );
    const listing = await platforms.platform1.listings.create(
      {
        assetId,
        sellerId: seller.listing,
        units: LISTED,
        pricePerUnit: PRICE,
        minPerBuyer: 1,
        maxPerBuyer: 1,
        expiresAt: inAnHour(),
      },
      keyOf(seller.listing),
    );
    const started = Date.now();
    const results = await Promise.all(
      buyers.map((buyerId, i) =>
        finalOutcome(() =>
          platforms[i % 2 === 0 ? 'platform1' : 'platform2'].trades.buy(listing.listingId, buyerId, 1, {
            ...keyOf(buyerId),
            pricePerUnit: PRICE,
          }),
        ),
      ),
    );
    console.info(
      `${String(BUYERS)} buyers settled in ${String(Date.now() - started)} ms: %j`,
      tally(results),
    );
    const counts = tally(results);
    expect(counts['OK']).toBe(LISTED);
    // Sold out, the listing is closed: a buy that arrives after says so; one that read the last units as taken says that.
    expect(
      Object.keys(counts).filter((c) => !['OK', 'LISTING_CLOSED', 'INSUFFICIENT_UNITS'].includes(c)),
    ).toEqual([]);
    expect(await platforms.platform2.listings.get(listing.listingId)).toMatchObject({
      remaining: 0,
      status: 'CLOSED',
    });
    const held = await Promise.all(buyers.map(async (b) => (await holdingOf(b))?.units ?? 0));
    const winners = buyers.filter((_, i) => results[i] === 'OK');
    expect(held.filter((units) => units > 0)).toEqual(Array.from({ length: LISTED }, () => 1));
    expect(buyers.filter((_, i) => (held[i] ?? 0) > 0)).toEqual(winners);
    // The seller sold every unit: the holding is gone, and its units are the winners'.
    expect(await holdingOf(seller.listing)).toBeUndefined();
    expect(await unitsHeld()).toBe(LISTED + HOLDING + EXPIRY_SELLERS * AT_EXPIRY);
  });
});

describe(`${String(SIMULTANEOUS_LISTINGS)} simultaneous listings from one holder that together exceed the holding`, () => {
  it('escrow no more than the holding: as many listings as fit open, the rest are refused INSUFFICIENT_UNITS', async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: SIMULTANEOUS_LISTINGS }, () =>
        finalOutcome(() =>
          platforms.platform1.listings.create(
            {
              assetId,
              sellerId: seller.holder,
              units: PER_LISTING,
              pricePerUnit: PRICE,
              minPerBuyer: 1,
              maxPerBuyer: PER_LISTING,
              expiresAt: inAnHour(),
            },
            keyOf(seller.holder),
          ),
        ),
      ),
    );
    console.info(
      `${String(SIMULTANEOUS_LISTINGS)} listings settled in ${String(Date.now() - started)} ms: %j`,
      tally(results),
    );
    const fit = Math.floor(HOLDING / PER_LISTING);
    expect(tally(results)).toEqual({ OK: fit, INSUFFICIENT_UNITS: SIMULTANEOUS_LISTINGS - fit });
    expect(await holdingOf(seller.holder)).toMatchObject({ units: HOLDING, escrowed: fit * PER_LISTING });
    const open: Listing[] = [];
    for await (const listing of platforms.platform2.listings.allOpen(100)) {
      if (listing.sellerId === seller.holder) {
        open.push(listing);
      }
    }
    expect(open.map((l) => l.remaining)).toEqual(Array.from({ length: fit }, () => PER_LISTING));
  });
});

describe('Platform1 expiring and Platform2 buying the same listing at its expiry', () => {
  it('commits exactly one of the two, and every unit is where that one put it', async () => {
    const last = Math.max(...expiryRaces.map((r) => Date.parse(r.listing.expiresAt)));
    await sleep(Math.max(0, last + W - Date.now() + 1_000));
    // Both were endorsed at a time their rule allowed: the buy before purchases closed, the expire now.
    const expires = await Promise.all(
      expiryRaces.map((r) =>
        expirerConnection
          .contract('listings')
          .newProposal('Expire', { arguments: [r.listing.listingId] })
          .endorse(),
      ),
    );
    const statuses = await Promise.all(
      expiryRaces.map(async (race, i) => {
        const expire = expires[i];
        if (expire === undefined) {
          throw new Error('no expire endorsed');
        }
        // The first race sends both at once. In the second the buy goes first and the expire, endorsed on the
        // same listing before the buy committed, half a second after: the expire must then lose.
        const buy = race.buy.submit();
        if (i % 2 === 1) {
          await sleep(500);
        }
        const [bought, expiry] = await Promise.all([buy, expire.submit()]);
        return { buy: (await bought.getStatus()).code, expire: (await expiry.getStatus()).code };
      }),
    );
    console.info('buy and expire at expiry: %j', statuses);
    for (const [i, race] of expiryRaces.entries()) {
      const status = statuses[i];
      const codes = [status?.buy, status?.expire].sort();
      expect(codes).toEqual([peer.TxValidationCode.VALID, peer.TxValidationCode.MVCC_READ_CONFLICT].sort());
      if (i % 2 === 1) {
        expect(status?.buy).toBe(peer.TxValidationCode.VALID);
      }
      await expectOutcome(race, status?.buy === peer.TxValidationCode.VALID);
    }
    expect(await unitsHeld()).toBe(LISTED + HOLDING + EXPIRY_SELLERS * AT_EXPIRY);
  });
});

/** The listing and both holdings after the race: the buy's units moved, or none did. */
async function expectOutcome(race: ExpiryRace, buyWon: boolean): Promise<void> {
  const id = race.listing.listingId;
  if (buyWon) {
    // The buy left 6 units listed, past their time: expiring them now returns them.
    expect(await platforms.platform1.listings.get(id)).toMatchObject({ status: 'OPEN', remaining: 6 });
    expect(await platforms.platform1.listings.expire(id)).toMatchObject({ status: 'EXPIRED', remaining: 6 });
  } else {
    expect(await platforms.platform1.listings.get(id)).toMatchObject({ status: 'EXPIRED', remaining: 10 });
  }
  const bought = buyWon ? 4 : 0;
  expect((await holdingOf(race.buyerId))?.units ?? 0).toBe(bought);
  expect(await holdingOf(race.sellerId)).toMatchObject({ units: AT_EXPIRY - bought, escrowed: 0 });
  const late = platforms.platform2.trades.buy(id, race.buyerId, 1, {
    ...keyOf(race.buyerId),
    pricePerUnit: PRICE,
  });
  expect(await outcome(late)).toBe('LISTING_CLOSED');
}
