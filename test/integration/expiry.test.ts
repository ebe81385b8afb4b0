import { setTimeout as sleep } from 'node:timers/promises';
import {
  CrowdLedger,
  type CrowdLedgerClient,
  type ExpireDueProgress,
  type ExpireDueReport,
  type Listing,
  type Offer,
  PROPOSAL_TIME_WINDOW_MS,
} from '../../client/src';
import { failureCode, profilePath, registerUserKey, residentId, uniqueSuffix, type UserKey } from './support';

// Listings and offers past their time keep the seller's units in escrow
// until someone expires them. Here the seller is platform1's and platform2's
// app does the housekeeping, with no signature of the seller's.

const suffix = uniqueSuffix();
/**
 * More than the proposal time window a new listing's expiry must lie beyond,
 * and long enough for the creating transactions to run before it on a busy machine.
 */
const SHORT_MS = PROPOSAL_TIME_WINDOW_MS + 20_000;

let platform1: CrowdLedgerClient;
let platform2: CrowdLedgerClient;
let sellerId = '';
let key: UserKey;
let buyerId = '';
let assetId = '';
let short: Listing;
let long: Listing;
let campaign: Listing;
let shortOffer: Offer;
let report: ExpireDueReport;
const progress: ExpireDueProgress[] = [];

const inMs = (ms: number): Date => new Date(Date.now() + ms);

async function escrowed(): Promise<{ units: number; escrowed: number }> {
  const portfolio = await platform2.users.portfolio(sellerId);
  const holding = portfolio.holdings.find((h) => h.assetId === assetId);
  return { units: holding?.units ?? -1, escrowed: holding?.escrowed ?? -1 };
}

async function historyLength(kind: 'listing' | 'offer' | 'holding', id: string): Promise<number> {
  return (await platform1.audit.history(kind, id)).length;
}

async function openIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const listing of platform2.listings.allOpen(50)) {
    ids.push(listing.listingId);
  }
  return ids;
}

beforeAll(async () => {
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  const person = (ref: string) => ({
    platformRef: `${ref}-${suffix}`,
    name: `过期${ref}`,
    idType: 'RESIDENT_ID' as const,
    idNumber: residentId(),
  });
  sellerId = (await platform1.users.register(person('seller'))).userId;
  buyerId = (await platform2.users.register(person('buyer'))).userId;
  key = await registerUserKey(platform1, sellerId);
  assetId = (
    await platform1.assets.register({
      assetRef: `expiry-${suffix}`,
      attributes: {
        name: '到期清理测试基金',
        category: 'FUND',
        description: '挂单到期后释放托管份额',
        currency: 'CNY',
        documents: [{ name: 'terms.pdf', sha256: 'd'.repeat(64), uri: 'https://docs.example/t.pdf' }],
      },
      rights: {
        voting: { enabled: false, votesPerUnit: 0 },
        dividend: { enabled: false, policy: '' },
        otherTerms: [],
      },
      totalUnits: 100,
      holders: [{ userId: sellerId, units: 100 }],
    })
  ).assetId;
  const terms = { assetId, sellerId, pricePerUnit: 1_000, minPerBuyer: 1 };
  // One after the other: each writes the seller's holding. The short ones last, so they stay unexpired longest.
  long = await platform1.listings.create(
    { ...terms, units: 5, maxPerBuyer: 5, expiresAt: inMs(3_600_000) },
    key,
  );
  campaign = await platform1.campaigns.create(
    {
      assetId,
      sellerId,
      units: 20,
      targetUnits: 20,
      pricePerUnit: 1_000,
      minPerInvestor: 1,
      maxPerInvestor: 20,
      deadline: inMs(SHORT_MS),
    },
    key,
  );
  short = await platform1.listings.create(
    { ...terms, units: 10, maxPerBuyer: 10, expiresAt: inMs(SHORT_MS) },
    key,
  );
  shortOffer = await platform1.offers.create(
    { assetId, sellerId, buyerId, units: 7, pricePerUnit: 900, expiresAt: inMs(SHORT_MS) },
    key,
  );
});

afterAll(() => {
  platform1.close();
  platform2.close();
});

describe('before their time', () => {
  it('holds every unit listed or offered in escrow', async () => {
    expect(await escrowed()).toEqual({ units: 100, escrowed: 10 + 5 + 20 + 7 });
  });

  it("refuses the other platform's early expire with NOT_EXPIRED and writes nothing", async () => {
    const before = {
      listing: await historyLength('listing', short.listingId),
      offer: await historyLength('offer', shortOffer.offerId),
      holding: await historyLength('holding', `${assetId}/${sellerId}`),
    };
    expect(await failureCode(platform2.listings.expire(short.listingId))).toBe('NOT_EXPIRED');
    expect(await failureCode(platform2.offers.expire(shortOffer.offerId))).toBe('NOT_EXPIRED');
    expect(await historyLength('listing', short.listingId)).toBe(before.listing);
    expect(await historyLength('offer', shortOffer.offerId)).toBe(before.offer);
    expect(await historyLength('holding', `${assetId}/${sellerId}`)).toBe(before.holding);
    expect((await platform2.listings.get(short.listingId)).status).toBe('OPEN');
    expect(await escrowed()).toEqual({ units: 100, escrowed: 42 });
  });

  it('expires nothing of ours in a housekeeping run: none is due yet', async () => {
    const early = await platform2.listings.expireDue({ pageSize: 3 });
    const ours = [short.listingId, long.listingId, campaign.listingId];
    expect(early.expired.filter((id) => ours.includes(id))).toEqual([]);
    expect(early.skipped.filter((s) => ours.includes(s.listingId))).toEqual([]);
    expect(early.failed).toEqual([]);
    expect(await openIds()).toEqual(expect.arrayContaining(ours));
  });
});

describe('after their time', () => {
  beforeAll(async () => {
    const last = Math.max(
      ...[short, campaign].map((l) => Date.parse(l.expiresAt)),
      Date.parse(shortOffer.expiresAt),
    );
    // The chaincode expires a listing only from one proposal time window after its time.
    await sleep(Math.max(0, last + PROPOSAL_TIME_WINDOW_MS - Date.now() + 1_500));
    report = await platform2.listings.expireDue({ pageSize: 3, onProgress: (p) => progress.push(p) });
  });

  it("is housekeeping platform2's app runs for platform1's seller, page by page", () => {
    expect(report.expired).toContain(short.listingId);
    expect(report.expired).not.toContain(long.listingId);
    expect(report.failed).toEqual([]);
    expect(report.pagesRead).toBeGreaterThanOrEqual(Math.ceil(report.examined / 3));
    expect(progress.at(-1)).toMatchObject({ pagesRead: report.pagesRead, expired: report.expired.length });
  });

  it('leaves a campaign past its deadline to campaigns.settle, and says so', async () => {
    expect(report.unsettledCampaigns).toContain(campaign.listingId);
    expect(report.expired).not.toContain(campaign.listingId);
    expect((await platform2.listings.get(campaign.listingId)).status).toBe('OPEN');
    expect(await failureCode(platform2.listings.expire(campaign.listingId))).toBe('INVALID_ARGUMENT');
  });

  it("returns the expired listing's escrow to the seller's holding, and drops it from the open listings", async () => {
    expect(await platform1.listings.get(short.listingId)).toMatchObject({ status: 'EXPIRED', remaining: 10 });
    expect(await escrowed()).toEqual({ units: 100, escrowed: 5 + 20 + 7 });
    const open = await openIds();
    expect(open).not.toContain(short.listingId);
    expect(open).toContain(long.listingId);
  });

  it('expires the offer by the other platform too, and its escrow returns', async () => {
    expect(await platform2.offers.expire(shortOffer.offerId)).toMatchObject({ status: 'EXPIRED' });
    expect(await escrowed()).toEqual({ units: 100, escrowed: 5 + 20 });
    expect(await failureCode(platform2.offers.expire(shortOffer.offerId))).toBe('OFFER_CLOSED');
  });

  it('refuses a second expire LISTING_CLOSED, and a second run has nothing of ours to do', async () => {
    expect(await failureCode(platform1.listings.expire(short.listingId))).toBe('LISTING_CLOSED');
    const again = await platform1.listings.expireDue();
    expect(again.expired).not.toContain(short.listingId);
    expect(again.failed).toEqual([]);
    expect(await escrowed()).toEqual({ units: 100, escrowed: 25 });
  });
});
