/*
 * Issue #19: 64 investors of both platforms commit to one campaign in its
 * last minute, all at once, and every commitment commits at its first attempt
 * (a commitment writes only its own record). Settlement then allocates by the
 * campaign's rule, first come or pro rata, with units and fen exact.
 * Issue #20: commit, withdraw, settle and cancel racing on one campaign: exactly
 * what exists moves, everything else fails with a known code.
 */
import {
  type AssetInput,
  type CampaignAllocation,
  type CampaignSettlement,
  type Commitment,
  CrowdLedger,
  type CrowdLedgerClient,
  isCrowdLedgerError,
  PROPOSAL_TIME_WINDOW_MS,
  type SubmitOutcome,
} from '../../client/src';
import { eventually, newPerson, profilePath, registerUserKey, type UserKey, uniqueSuffix } from './support';
import { fundAsset } from '../support/assets';
import { pool } from '../support/pool';

type Platform = 'platform1' | 'platform2';

const W = PROPOSAL_TIME_WINDOW_MS;
const PRICE = 2_500;
const INVESTORS = 64;
const CAMPAIGN_UNITS = 100;
const suffix = uniqueSuffix();
const outcomes: SubmitOutcome[] = [];
const clients: Partial<Record<Platform, CrowdLedgerClient>> = {};

interface Investor {
  readonly userId: string;
  readonly platform: Platform;
  readonly key: UserKey;
}

let seller: Investor;
let investors: Investor[] = [];
let assetId = '';

function client(platform: Platform): CrowdLedgerClient {
  const found = clients[platform];
  if (found === undefined) {
    throw new Error(`no client for ${platform}`);
  }
  return found;
}

async function newInvestor(platform: Platform, label: string): Promise<Investor> {
  const user = await client(platform).users.register(newPerson(`${label}-${suffix}`));
  return { userId: user.userId, platform, key: await registerUserKey(client(platform), user.userId) };
}

function fund(holders: AssetInput['holders']): AssetInput {
  return fundAsset(`rush-${suffix}`, holders, { name: '抢购测试基金', description: 'campaign rush' });
}

/** 'OK' or the failure's code. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return isCrowdLedgerError(error) ? error.code : String(error);
  }
}

async function createCampaign(allocation: CampaignAllocation, deadline: Date, units = CAMPAIGN_UNITS) {
  return client('platform1').campaigns.create(
    {
      assetId,
      sellerId: seller.userId,
      units,
      targetUnits: units / 2,
      pricePerUnit: PRICE,
      minPerInvestor: 1,
      maxPerInvestor: 10,
      deadline,
      allocation,
    },
    seller.key,
  );
}

function commit(investor: Investor, listingId: string, units: number) {
  return client(investor.platform).campaigns.commit(listingId, investor.userId, units, {
    ...investor.key,
    pricePerUnit: PRICE,
  });
}

async function sleepUntil(instant: number): Promise<void> {
  await new Promise((done) => setTimeout(done, Math.max(0, instant - Date.now())));
}

async function units(userId: string): Promise<number> {
  const portfolio = await client('platform1').users.portfolio(userId);
  return portfolio.holdings.find((h) => h.assetId === assetId)?.units ?? 0;
}

/** FIRST_COME as the README states it, written independently of the chaincode. */
function firstComeExpected(commitments: readonly Commitment[], supply: number): Map<string, number> {
  const ordered = [...commitments].sort(
    (a, b) =>
      a.committedAt.localeCompare(b.committedAt) ||
      (a.txId ?? '').localeCompare(b.txId ?? '') ||
      a.buyerId.localeCompare(b.buyerId),
  );
  let left = supply;
  return new Map(
    ordered.map((c) => {
      const got = Math.min(left, c.units);
      left -= got;
      return [c.buyerId, got];
    }),
  );
}

/** PRO_RATA's guarantees: each gets its exact share rounded down or up, the round-ups to the largest remainders. */
function checkProRata(settled: readonly Commitment[], supply: number): void {
  const total = settled.reduce((sum, c) => sum + c.units, 0);
  const shares = settled.map((c) => ({
    floor: Math.floor((c.units * supply) / total),
    remainder: (c.units * supply) % total,
    got: c.allocatedUnits ?? -1,
  }));
  for (const s of shares) {
    expect([s.floor, s.floor + 1]).toContain(s.got);
  }
  const roundedUp = shares.filter((s) => s.got === s.floor + 1).map((s) => s.remainder);
  const roundedDown = shares.filter((s) => s.got === s.floor).map((s) => s.remainder);
  expect(Math.min(...roundedUp, total)).toBeGreaterThanOrEqual(Math.max(...roundedDown, 0));
}

/** Units and fen exact: every settled commitment's amount and refund, and the trades. */
function checkMoney(settlement: CampaignSettlement): void {
  for (const c of settlement.settled) {
    expect(c.amount).toBe((c.allocatedUnits ?? 0) * PRICE);
    expect(c.refund).toBe((c.units - (c.allocatedUnits ?? 0)) * PRICE);
  }
  const paid = settlement.settled.reduce((sum, c) => sum + (c.amount ?? 0), 0);
  expect(settlement.trades.reduce((sum, t) => sum + t.amount, 0)).toBe(paid);
  expect(settlement.trades.every((t) => t.amount === t.units * PRICE)).toBe(true);
}

beforeAll(async () => {
  for (const platform of ['platform1', 'platform2'] as const) {
    clients[platform] = await CrowdLedger.connect({
      profile: profilePath(platform),
      identity: 'app',
      onSubmit: (outcome) => outcomes.push(outcome),
    });
  }
  seller = await newInvestor('platform1', 'rush-seller');
  investors = await pool(
    Array.from({ length: INVESTORS + 12 }, (_, i) => i),
    12,
    (i) => newInvestor(i % 2 === 0 ? 'platform1' : 'platform2', `rush-inv${String(i)}`),
  );
  assetId = (await client('platform1').assets.register(fund([{ userId: seller.userId, units: 1_000 }])))
    .assetId;
  await eventually(() => client('platform2').assets.get(assetId));
}, 300_000);

afterAll(() => {
  clients.platform1?.close();
  clients.platform2?.close();
});

describe('a campaign rush (#19)', () => {
  it('takes 64 concurrent commitments in its last minute, each at its first attempt, and allocates both ways exactly', async () => {
    const rush = investors.slice(0, INVESTORS);
    // Commitments close one window before the deadline: the rush has the last minute.
    const deadline = new Date(Date.now() + W + 60_000);
    const firstCome = await createCampaign('FIRST_COME', deadline);
    const proRata = await createCampaign('PRO_RATA', deadline);
    const asked = (i: number): number => 1 + ((i * 7) % 10);
    const started = outcomes.length;
    const t0 = performance.now();
    const codes = await Promise.all(
      rush.flatMap((investor, i) => [
        codeOf(commit(investor, firstCome.listingId, asked(i))),
        codeOf(commit(investor, proRata.listingId, asked(i))),
      ]),
    );
    const elapsed = performance.now() - t0;
    expect(codes.filter((c) => c !== 'OK')).toEqual([]);
    const commits = outcomes.slice(started).filter((o) => o.transaction === 'campaigns:Commit');
    const attempts = commits.reduce((sum, o) => sum + o.attempts, 0);
    console.log(
      `campaign rush: ${String(commits.length)} commitments (64 investors × 2 campaigns) in ${String(Math.round(elapsed))} ms; ` +
        `${String(commits.filter((o) => o.attempts === 1).length)} at the first attempt, ${String(attempts)} attempts in all`,
    );
    expect(commits).toHaveLength(2 * INVESTORS);
    expect(commits.every((o) => o.ok && o.attempts === 1)).toBe(true);

    const committed = await client('platform2').campaigns.commitments(firstCome.listingId);
    const total = committed.reduce((sum, c) => sum + c.units, 0);
    expect(committed).toHaveLength(INVESTORS);
    expect(total).toBe(rush.reduce((sum, _, i) => sum + asked(i), 0));
    expect(total).toBeGreaterThan(CAMPAIGN_UNITS);

    await sleepUntil(deadline.getTime() + W + 1_500);
    const sellerBefore = await units(seller.userId);
    const settledFirst = await client('platform2').campaigns.settle(firstCome.listingId);
    const settledPro = await client('platform1').campaigns.settle(proRata.listingId);
    for (const s of [settledFirst, settledPro]) {
      expect(s.listing).toMatchObject({ status: 'SUCCEEDED', remaining: 0, investors: INVESTORS });
      expect(s.settled).toHaveLength(INVESTORS);
      expect(s.settled.reduce((sum, c) => sum + (c.allocatedUnits ?? 0), 0)).toBe(CAMPAIGN_UNITS);
      expect(s.trades.reduce((sum, t) => sum + t.units, 0)).toBe(CAMPAIGN_UNITS);
      checkMoney(s);
    }
    const expected = firstComeExpected(committed, CAMPAIGN_UNITS);
    expect(new Map(settledFirst.settled.map((c) => [c.buyerId, c.allocatedUnits]))).toEqual(expected);
    checkProRata(settledPro.settled, CAMPAIGN_UNITS);

    // Units conserved: the seller lost exactly the 200 allocated, each investor got both allocations.
    expect(await units(seller.userId)).toBe(sellerBefore - 2 * CAMPAIGN_UNITS);
    const pro = new Map(settledPro.settled.map((c) => [c.buyerId, c.allocatedUnits ?? 0]));
    const held = await pool(rush, 16, async (inv) => [await units(inv.userId), inv.userId] as const);
    for (const [got, userId] of held) {
      expect(got).toBe((expected.get(userId) ?? 0) + (pro.get(userId) ?? 0));
    }
    expect((await client('platform1').users.portfolio(seller.userId)).holdings[0]).toMatchObject({
      escrowed: 0,
    });
  }, 400_000);
});

describe('commit, withdraw, settle and cancel racing on one campaign (#20)', () => {
  const racers = (): Investor[] => investors.slice(INVESTORS, INVESTORS + 12);
  const racer = (i: number): Investor => {
    const found = racers()[i];
    if (found === undefined) {
      throw new Error(`no racer ${String(i)}`);
    }
    return found;
  };
  const withdraw = (inv: Investor, listingId: string) =>
    client(inv.platform).campaigns.withdraw(listingId, inv.userId, inv.key);

  it('while it is open: commitments and withdrawals land, settle and cancel are refused, nothing else moves', async () => {
    const [a, b, c, d, e, f] = [racer(0), racer(1), racer(2), racer(3), racer(4), racer(5)] as const;
    const late = racers().slice(6);
    const open = await createCampaign('PRO_RATA', new Date(Date.now() + 3 * 24 * 3600_000), 20);
    for (const inv of [a, b, c, d, e, f]) {
      await commit(inv, open.listingId, 3);
    }
    const sellerBefore = await client('platform1').users.portfolio(seller.userId);
    const race = await Promise.all([
      ...late.map((inv) => codeOf(commit(inv, open.listingId, 4))),
      ...[a, b, c].map((inv) => codeOf(withdraw(inv, open.listingId))),
      ...[d, e].map((inv) => codeOf(commit(inv, open.listingId, 2))),
      codeOf(client('platform1').campaigns.settle(open.listingId)),
      codeOf(client('platform2').campaigns.settle(open.listingId)),
      codeOf(client('platform1').listings.cancel(open.listingId, seller.userId, seller.key)),
    ]);
    expect(race).toEqual([
      ...late.map(() => 'OK'),
      'OK',
      'OK',
      'OK',
      'OK',
      'OK',
      'CAMPAIGN_OPEN',
      'CAMPAIGN_OPEN',
      'CAMPAIGN_OPEN',
    ]);
    const now = await client('platform2').campaigns.commitments(open.listingId);
    const want = new Map([
      ...late.map((inv) => [inv.userId, 4] as const),
      [d.userId, 5],
      [e.userId, 5],
      [f.userId, 3],
    ]);
    expect(new Map(now.map((x) => [x.buyerId, x.units]))).toEqual(want);
    expect(await client('platform1').listings.get(open.listingId)).toMatchObject({
      status: 'OPEN',
      remaining: 20,
      investors: 0,
    });
    expect(await client('platform1').users.portfolio(seller.userId)).toEqual(sellerBefore);
  }, 300_000);

  it('after its deadline: exactly one settlement moves the units; the other settles, a commit and a withdrawal fail', async () => {
    const team = racers();
    const deadline = new Date(Date.now() + W + 15_000);
    const closing = await createCampaign('FIRST_COME', deadline, 20);
    await Promise.all(team.slice(0, 6).map((inv) => commit(inv, closing.listingId, 5)));
    await sleepUntil(deadline.getTime() + W + 1_500);
    const sellerBefore = await units(seller.userId);
    const held = await Promise.all(team.map((inv) => units(inv.userId)));
    const x = racer(0);
    const race = await Promise.all([
      codeOf(client('platform1').campaigns.settle(closing.listingId)),
      codeOf(client('platform2').campaigns.settle(closing.listingId)),
      codeOf(client('platform1').campaigns.settle(closing.listingId)),
      codeOf(commit(racer(7), closing.listingId, 2)),
      codeOf(client(x.platform).campaigns.withdraw(closing.listingId, x.userId, x.key)),
      codeOf(client('platform1').listings.cancel(closing.listingId, seller.userId, seller.key)),
    ]);
    const settles = race.slice(0, 3);
    expect(settles.filter((code) => code === 'OK')).toHaveLength(1);
    expect(
      settles
        .filter((code) => code !== 'OK')
        .every((code) => code === 'CAMPAIGN_CLOSED' || code === 'PHANTOM_READ_CONFLICT'),
    ).toBe(true);
    expect(race.slice(3, 5)).toEqual(['CAMPAIGN_CLOSED', 'WITHDRAWAL_CLOSED']);
    expect(['CAMPAIGN_OPEN', 'LISTING_CLOSED']).toContain(race[5]);
    // 30 committed for 20 units, first come: exactly 20 moved, once.
    expect(await units(seller.userId)).toBe(sellerBefore - 20);
    const after = await Promise.all(team.map((inv) => units(inv.userId)));
    const gained = after.map((u, i) => u - (held[i] ?? 0));
    expect(gained.reduce((sum, g) => sum + g, 0)).toBe(20);
    expect(gained.slice(6)).toEqual(team.slice(6).map(() => 0));
    const settled = await client('platform2').campaigns.commitments(closing.listingId);
    expect(settled.map((c) => c.allocatedUnits).sort()).toEqual([0, 0, 5, 5, 5, 5]);
    expect((await client('platform1').listings.get(closing.listingId)).status).toBe('SUCCEEDED');
  }, 300_000);
});
