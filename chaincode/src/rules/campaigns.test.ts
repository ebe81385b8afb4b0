import { type CampaignAllocation, PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/protocol';
import { Commitment } from '../model/commitment';
import { Listing } from '../model/listing';
import {
  allocationOf,
  planCommitment,
  planSettlement,
  planWithdrawal,
  requireSettleable,
  SETTLEMENT_BATCH,
} from './campaigns';

const ASSET = `A${'b'.repeat(32)}`;
const SELLER = `U${'a'.repeat(32)}`;
const BUYER = `U${'c'.repeat(32)}`;
const LISTING = `L${'d'.repeat(32)}`;
const DEADLINE = '2025-02-10T00:00:00.000Z';
const BEFORE = new Date('2025-02-01T00:00:00.000Z');
const AFTER = new Date('2025-02-10T00:00:00.000Z');
const SETTLE_AT = new Date(AFTER.getTime() + PROPOSAL_TIME_WINDOW_MS);

interface CampaignShape {
  readonly units?: number;
  readonly targetUnits?: number;
  readonly allocation?: CampaignAllocation;
  readonly min?: number;
  readonly max?: number;
}

function campaign(shape: CampaignShape = {}): Listing {
  const { units = 1000, targetUnits = 10, allocation, min = 1, max = units } = shape;
  return new Listing({
    listingId: LISTING,
    kind: 'CAMPAIGN',
    assetId: ASSET,
    sellerId: SELLER,
    sellerPlatform: 'Platform1MSP',
    units,
    remaining: units,
    pricePerUnit: 3,
    minPerBuyer: min,
    maxPerBuyer: max,
    expiresAt: DEADLINE,
    status: 'OPEN',
    createdAt: '2025-01-01T00:00:00.000Z',
    targetUnits,
    investors: 0,
    ...(allocation === undefined ? {} : { allocation }),
  });
}

const buyer = (n: number): string => `U${n.toString(16).padStart(32, '0')}`;

const commitment = (units: number, buyerId = BUYER, second = 0): Commitment =>
  new Commitment({
    listingId: LISTING,
    buyerId,
    buyerPlatform: 'Platform2MSP',
    units,
    committedAt: new Date(BEFORE.getTime() + second * 1000).toISOString(),
    txId: `${second.toString(16).padStart(4, '0')}${'0'.repeat(60)}`,
  });

const request = (units: number) => ({
  buyerId: BUYER,
  buyerPlatform: 'Platform2MSP',
  units,
  txId: 'f'.repeat(64),
});

describe('planCommitment', () => {
  it('writes only the commitment: the campaign is returned as it was read', () => {
    const listing = campaign();
    const first = planCommitment(listing, undefined, request(5), BEFORE);
    expect(first.listing).toBe(listing);
    expect(first.commitment).toMatchObject({
      units: 5,
      committedAt: BEFORE.toISOString(),
      txId: 'f'.repeat(64),
    });
    const later = new Date(BEFORE.getTime() + 1000);
    const second = planCommitment(listing, first.commitment, request(5), later);
    expect(second.commitment).toMatchObject({ units: 10, committedAt: later.toISOString() });
  });

  it('takes more than the campaign offers: settlement allocates', () => {
    const listing = campaign({ units: 10, max: 10 });
    expect(planCommitment(listing, undefined, request(10), BEFORE).commitment.units).toBe(10);
  });

  it("keeps each investor's total within the per-investor limits", () => {
    const listing = campaign({ min: 5, max: 20 });
    expect(() => planCommitment(listing, undefined, request(4), BEFORE)).toThrow(
      `LIMIT_EXCEEDED: ${BUYER} may commit from 5 to 20 units to campaign ${LISTING} in all; they have 0 and asked for 4`,
    );
    expect(() => planCommitment(listing, commitment(15), request(6), BEFORE)).toThrow('LIMIT_EXCEEDED');
    expect(planCommitment(listing, commitment(15), request(5), BEFORE).commitment.units).toBe(20);
  });

  it('closes one proposal time window before the deadline', () => {
    const closes = new Date(Date.parse(DEADLINE) - PROPOSAL_TIME_WINDOW_MS);
    expect(() => planCommitment(campaign(), undefined, request(1), closes)).toThrow('CAMPAIGN_CLOSED');
  });
});

describe('planWithdrawal', () => {
  it('closes 48 hours and one proposal time window before the deadline, to the millisecond', () => {
    const cutoff = new Date(Date.parse(DEADLINE) - 48 * 60 * 60 * 1000 - PROPOSAL_TIME_WINDOW_MS);
    const open = planWithdrawal(campaign(), commitment(10), BUYER, new Date(cutoff.getTime() - 1));
    expect(open).toMatchObject({ listing: { remaining: 1000, investors: 0 }, commitment: { units: 10 } });
    expect(() => planWithdrawal(campaign(), commitment(10), BUYER, cutoff)).toThrow(
      `WITHDRAWAL_CLOSED: commitments to campaign ${LISTING} can be withdrawn only until ${cutoff.toISOString()}`,
    );
  });
});

describe('settlement', () => {
  it('opens one proposal time window after the deadline: a timestamp inside the margin may be early', () => {
    for (const at of [AFTER, new Date(SETTLE_AT.getTime() - 1)]) {
      expect(() => {
        requireSettleable(campaign(), at);
      }).toThrow(
        `CAMPAIGN_OPEN: campaign ${LISTING} has its deadline at ${DEADLINE}; it settles from ${SETTLE_AT.toISOString()}`,
      );
    }
    expect(() => {
      requireSettleable(campaign(), SETTLE_AT);
    }).not.toThrow();
  });

  it('succeeds exactly at the target, and releases the unallocated escrow', () => {
    const plan = planSettlement({
      listing: campaign({ targetUnits: 10 }),
      commitments: [commitment(10)],
      txId: 'tx',
      at: SETTLE_AT,
    });
    expect(plan).toMatchObject({
      succeeded: true,
      sold: 10,
      released: 990,
      pending: 0,
      listing: { status: 'SUCCEEDED', remaining: 990, investors: 1 },
    });
    expect(plan.settled[0]).toMatchObject({ units: 10, allocatedUnits: 10, amount: 30, refund: 0 });
    expect(plan.trades).toEqual([expect.objectContaining({ units: 10, amount: 30, buyerId: BUYER })]);
  });

  it('fails one unit short of the target: everything released, every commitment refunded in full', () => {
    const plan = planSettlement({
      listing: campaign({ targetUnits: 10 }),
      commitments: [commitment(4, buyer(1)), commitment(5, buyer(2))],
      txId: 'tx',
      at: SETTLE_AT,
    });
    expect(plan).toMatchObject({ succeeded: false, sold: 0, released: 1000, trades: [] });
    expect(plan.listing).toMatchObject({ status: 'FAILED', remaining: 1000 });
    expect(plan.settled.map((c) => [c.allocatedUnits, c.refund])).toEqual([
      [0, 12],
      [0, 15],
    ]);
  });

  it('first come: in order of time then transaction ID, the one at the edge gets the rest', () => {
    // buyer(3) came first, then buyer(1), then buyer(2): 10 units for 6 + 6 + 6.
    const commitments = [commitment(6, buyer(1), 2), commitment(6, buyer(2), 3), commitment(6, buyer(3), 1)];
    const { units } = allocationOf(campaign({ units: 10, targetUnits: 5 }), commitments);
    expect([...units.entries()].sort()).toEqual([
      [buyer(1), 4],
      [buyer(2), 0],
      [buyer(3), 6],
    ]);
  });

  it('first come: the same second is ordered by transaction ID', () => {
    const early = new Commitment({ ...commitment(6, buyer(2), 0).fields(), txId: '0'.repeat(64) });
    const late = new Commitment({ ...commitment(6, buyer(1), 0).fields(), txId: '1'.repeat(64) });
    const { units } = allocationOf(campaign({ units: 10, targetUnits: 5 }), [late, early]);
    expect(units.get(buyer(2))).toBe(6);
    expect(units.get(buyer(1))).toBe(4);
  });

  it('pro rata: floors, then the remainder one unit each to the largest remainders', () => {
    // 10 units for 7 + 7 + 6 = 20: exact shares 3.5, 3.5, 3 → floors 3, 3, 3; one left, the two .5 remainders
    // tie and the earlier commitment (buyer(2), second 1) gets it.
    const commitments = [commitment(7, buyer(1), 2), commitment(7, buyer(2), 1), commitment(6, buyer(3), 0)];
    const { units } = allocationOf(
      campaign({ units: 10, targetUnits: 5, allocation: 'PRO_RATA' }),
      commitments,
    );
    expect([...units.entries()].sort()).toEqual([
      [buyer(1), 3],
      [buyer(2), 4],
      [buyer(3), 3],
    ]);
  });

  it('pro rata: a larger remainder beats an earlier commitment', () => {
    // 7 units for 3 + 3 + 4 = 10: shares 2.1, 2.1, 2.8 → floors 2, 2, 2; one left, to buyer(3) (.8) although it came last.
    const commitments = [commitment(3, buyer(1), 0), commitment(3, buyer(2), 1), commitment(4, buyer(3), 2)];
    const { units } = allocationOf(
      campaign({ units: 7, targetUnits: 1, allocation: 'PRO_RATA' }),
      commitments,
    );
    expect([...units.entries()].sort()).toEqual([
      [buyer(1), 2],
      [buyer(2), 2],
      [buyer(3), 3],
    ]);
  });

  it('both rules give everyone what they committed when it fits', () => {
    const commitments = [commitment(3, buyer(1), 0), commitment(4, buyer(2), 1)];
    for (const allocation of ['FIRST_COME', 'PRO_RATA'] as const) {
      const { units } = allocationOf(campaign({ units: 7, targetUnits: 1, allocation }), commitments);
      expect([units.get(buyer(1)), units.get(buyer(2))]).toEqual([3, 4]);
    }
  });

  it('pro rata stays exact where units × supply passes 2^53', () => {
    const big = 2 ** 40;
    const listing = new Listing({
      ...campaign({ units: big, targetUnits: 1, allocation: 'PRO_RATA' }).fields(),
      pricePerUnit: 1,
    });
    const commitments = [
      commitment(big, buyer(1), 0),
      commitment(big, buyer(2), 1),
      commitment(big, buyer(3), 2),
    ];
    const { units } = allocationOf(listing, commitments);
    const floor = Math.floor(big / 3);
    expect([units.get(buyer(1)), units.get(buyer(2)), units.get(buyer(3))]).toEqual([
      floor + 1,
      floor,
      floor,
    ]);
  });

  it(`settles ${String(SETTLEMENT_BATCH)} commitments a step; the last step closes and releases the rest`, () => {
    const listing = campaign({ units: 1000, targetUnits: 10, allocation: 'PRO_RATA' });
    let commitments = Array.from({ length: SETTLEMENT_BATCH + 50 }, (_, i) =>
      commitment(10, buyer(i + 1), i),
    );
    const first = planSettlement({ listing, commitments, txId: 'tx1', at: SETTLE_AT });
    expect(first).toMatchObject({ pending: 50, released: 0, listing: { status: 'OPEN' } });
    expect(first.settled).toHaveLength(SETTLEMENT_BATCH);
    const settled = new Map(first.settled.map((c) => [c.buyerId, c]));
    commitments = commitments.map((c) => settled.get(c.buyerId) ?? c);
    const second = planSettlement({ listing: first.listing, commitments, txId: 'tx2', at: SETTLE_AT });
    expect(second).toMatchObject({
      pending: 0,
      listing: { status: 'SUCCEEDED', remaining: 0, investors: 250 },
    });
    expect(first.sold + second.sold + second.released).toBe(1000);
    expect(first.listing.remaining).toBe(1000 - first.sold);
  });
});
