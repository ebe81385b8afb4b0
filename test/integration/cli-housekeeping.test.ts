// Housekeeping through the CLI, as a platform runs it from a timer: listings
// and offers past their time are expired by another platform (no signature of the
// seller's), `listings expire-due` pages through every open listing, and
// `events follow` tails the event feed from a checkpoint. Each step goes
// through the built CLI on the real network; the setup uses the SDK.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CrowdLedger,
  type CrowdLedgerClient,
  type Listing,
  type Offer,
  PROPOSAL_TIME_WINDOW_MS,
} from '../../client/src';
import { profilePath, registerUserKey, repoDir, residentId, tryCli, uniqueSuffix } from './support';
import { fundAsset } from '../support/assets';

const suffix = uniqueSuffix();
/**
 * More than the proposal time window a new listing's expiry must lie beyond,
 * and long enough for the setup and the "before" tests to run first on a busy machine.
 */
const SHORT_MS = PROPOSAL_TIME_WINDOW_MS + 20_000;

interface EventLine {
  readonly blockNumber: number;
  readonly transactionId: string;
  readonly name: string;
  readonly payload: { readonly listingId?: string; readonly offerId?: string };
}

let work = '';
let platform1: CrowdLedgerClient;
let sellerId = '';
let assetId = '';
let startBlock = '';
let short: Listing;
let single: Listing;
let long: Listing;
let campaign: Listing;
let offer: Offer;

const inMs = (ms: number): Date => new Date(Date.now() + ms);

async function escrowed(): Promise<number> {
  const portfolio = await platform1.users.portfolio(sellerId);
  return portfolio.holdings.find((h) => h.assetId === assetId)?.escrowed ?? -1;
}

function eventLines(stdout: string): EventLine[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as EventLine);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crowdledger-cli-housekeeping-'));
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  startBlock = String(await platform1.chainHeight());
  const platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  const person = (ref: string) => ({
    platformRef: `${ref}-${suffix}`,
    name: `清理${ref}`,
    idType: 'RESIDENT_ID' as const,
    idNumber: residentId(),
  });
  sellerId = (await platform1.users.register(person('seller'))).userId;
  const buyerId = (await platform2.users.register(person('buyer'))).userId;
  platform2.close();
  const key = await registerUserKey(platform1, sellerId);
  assetId = (
    await platform1.assets.register(
      fundAsset(`cli-housekeeping-${suffix}`, [{ userId: sellerId, units: 100 }], {
        name: '命令行清理测试',
        description: '到期挂单由其他平台清理',
      }),
    )
  ).assetId;
  const terms = { assetId, sellerId, pricePerUnit: 1_000, minPerBuyer: 1 };
  long = await platform1.listings.create(
    { ...terms, units: 5, maxPerBuyer: 5, expiresAt: inMs(3_600_000) },
    key,
  );
  campaign = await platform1.campaigns.create(
    {
      ...{ assetId, sellerId, units: 20, targetUnits: 20, pricePerUnit: 1_000 },
      ...{ minPerInvestor: 1, maxPerInvestor: 20, deadline: inMs(SHORT_MS) },
    },
    key,
  );
  short = await platform1.listings.create(
    { ...terms, units: 10, maxPerBuyer: 10, expiresAt: inMs(SHORT_MS) },
    key,
  );
  single = await platform1.listings.create(
    { ...terms, units: 8, maxPerBuyer: 8, expiresAt: inMs(SHORT_MS) },
    key,
  );
  offer = await platform1.offers.create(
    { assetId, sellerId, buyerId, units: 7, pricePerUnit: 900, expiresAt: inMs(SHORT_MS) },
    key,
  );
});

afterAll(async () => {
  platform1.close();
  await rm(work, { recursive: true, force: true });
});

describe('before their time', () => {
  it("refuses another platform's early expire of a listing or an offer, and the escrow stays", async () => {
    const listing = await tryCli(['listings', 'expire', single.listingId, '--org', 'platform2']);
    expect(listing.code).toBe(1);
    expect(listing.stderr).toContain('error: NOT_EXPIRED: ');
    expect(listing.stdout).toBe('');
    const early = await tryCli(['offers', 'expire', offer.offerId, '--org', 'platform2']);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('error: NOT_EXPIRED: ');
    expect(await escrowed()).toBe(5 + 20 + 10 + 8 + 7);
  });

  it('reads the event feed up to the current height with --once, then resumes after it', async () => {
    const checkpoint = join(work, 'feed.checkpoint');
    const first = await tryCli([
      'events',
      'follow',
      '--checkpoint',
      checkpoint,
      '--start-block',
      startBlock,
      '--once',
    ]);
    expect(first.code).toBe(0);
    const events = eventLines(first.stdout);
    const created = events.filter((e) => e.name === 'ListingCreated').map((e) => e.payload.listingId);
    expect(created).toEqual(
      expect.arrayContaining([long.listingId, campaign.listingId, short.listingId, single.listingId]),
    );
    expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(['UserRegistered', 'OfferCreated']));
    expect(events.every((e) => e.blockNumber >= Number(startBlock))).toBe(true);
    const blocks = events.map((e) => e.blockNumber);
    expect(blocks).toEqual([...blocks].sort((a, b) => a - b));
    expect(first.stderr).toMatch(/reading the event feed up to block \d+/);
    expect(first.stderr).toContain(`${String(events.length)} events printed`);
    // Nothing was committed since: the checkpoint is past every event printed.
    const again = await tryCli([
      'events',
      'follow',
      '--checkpoint',
      checkpoint,
      '--once',
      '--idle-ms',
      '500',
    ]);
    expect(again).toMatchObject({ code: 0, stdout: '' });
    expect(again.stderr).toContain('no new events; the checkpoint is where it was');
  });

  it('refuses --idle-ms without --once', async () => {
    const result = await tryCli(['events', 'follow', '--checkpoint', join(work, 'x'), '--idle-ms', '500']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: --idle-ms goes with --once');
  });
});

describe('after their time', () => {
  let follower: ReturnType<typeof spawn>;
  let followed = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    // A follower from now on: it sees the expiries below as they commit.
    follower = spawn(
      process.execPath,
      [
        join(repoDir, 'cli', 'dist', 'main.js'),
        'events',
        'follow',
        '--checkpoint',
        join(work, 'live.checkpoint'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    follower.stdout?.on('data', (chunk: Buffer) => (followed += chunk.toString('utf8')));
    exited = new Promise((resolve) => follower.on('close', resolve));
    const last = Math.max(
      ...[short, single, campaign].map((l) => Date.parse(l.expiresAt)),
      Date.parse(offer.expiresAt),
    );
    // Expiry is allowed from one proposal time window after a listing's time.
    await sleep(Math.max(0, last + PROPOSAL_TIME_WINDOW_MS - Date.now() + 1_500));
  });

  afterAll(() => {
    follower.kill('SIGKILL');
  });

  it('expires one listing and one offer for platform1 on platform2, with no signature', async () => {
    const listing = await tryCli(['listings', 'expire', single.listingId, '--org', 'platform2', '--json']);
    expect(listing.code).toBe(0);
    expect(JSON.parse(listing.stdout)).toMatchObject({
      listingId: single.listingId,
      status: 'EXPIRED',
      remaining: 8,
    });
    const expired = await tryCli(['offers', 'expire', offer.offerId, '--org', 'platform2']);
    expect(expired.code).toBe(0);
    expect(expired.stdout).toContain(`Expired ${offer.offerId}: 7 units back to ${sellerId}.`);
    expect(expired.stdout).toMatch(/status\s+EXPIRED/);
    expect(await escrowed()).toBe(5 + 20 + 10);
  });

  it('writes nothing when an auditor runs expire-due: each due listing FORBIDDEN, exit 1 after the report', async () => {
    const result = await tryCli([
      'listings',
      'expire-due',
      '--org',
      'registry',
      '--identity',
      'auditor',
      '--json',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      expired: string[];
      failed: { listingId: string; code: string }[];
    };
    expect(report.expired).toEqual([]);
    expect(report.failed).toContainEqual(
      expect.objectContaining({ listingId: short.listingId, code: 'FORBIDDEN' }),
    );
    expect(result.stderr).toMatch(
      /error: \d+ listings? could not be expired \(FORBIDDEN\); the next run tries again/,
    );
    expect((await platform1.listings.get(short.listingId)).status).toBe('OPEN');
    expect(await escrowed()).toBe(5 + 20 + 10);
  });

  it('expires everything due page by page, with a line per page on stderr, and names the campaign', async () => {
    const result = await tryCli([
      'listings',
      'expire-due',
      '--org',
      'platform2',
      '--page-size',
      '2',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      expired: string[];
      failed: unknown[];
      unsettledCampaigns: string[];
      pagesRead: number;
      examined: number;
    };
    expect(report.expired).toContain(short.listingId);
    expect(report.expired).not.toContain(long.listingId);
    expect(report.failed).toEqual([]);
    expect(report.unsettledCampaigns).toContain(campaign.listingId);
    expect(report.pagesRead).toBeGreaterThanOrEqual(Math.ceil(report.examined / 2));
    expect(result.stderr).toMatch(/^page 1: \d+ open listings? read, \d+ due; /m);
    expect(result.stderr.match(/^page \d+: /gm)).toHaveLength(report.pagesRead);
    expect(await platform1.listings.get(short.listingId)).toMatchObject({ status: 'EXPIRED', remaining: 10 });
    expect(await escrowed()).toBe(5 + 20);
  });

  it('says in words that nothing is left, and how to settle the campaign', async () => {
    const result = await tryCli(['listings', 'expire-due', '--org', 'platform1']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(short.listingId);
    expect(result.stdout).toContain('campaigns are settled, not expired');
    expect(result.stdout).toContain(`  crowdledger campaigns settle ${campaign.listingId} --org platform1`);
    const closed = await tryCli(['listings', 'expire', short.listingId, '--org', 'platform1']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('error: LISTING_CLOSED: ');
    const notThisWay = await tryCli(['listings', 'expire', campaign.listingId, '--org', 'platform1']);
    expect(notThisWay.stderr).toContain('error: INVALID_ARGUMENT: ');
  });

  it('has followed every expiry as it committed, and stops cleanly on SIGTERM', async () => {
    const want = [single.listingId, short.listingId, offer.offerId];
    const expiredIds = (): (string | undefined)[] =>
      eventLines(followed)
        .filter((e) => e.name === 'ListingExpired' || e.name === 'OfferExpired')
        .map((e) => e.payload.listingId ?? e.payload.offerId);
    const deadline = Date.now() + 30_000;
    while (!want.every((id) => expiredIds().includes(id)) && Date.now() < deadline) {
      await sleep(250);
    }
    expect(expiredIds()).toEqual(expect.arrayContaining(want));
    follower.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
