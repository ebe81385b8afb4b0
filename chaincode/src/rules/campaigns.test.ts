import { PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/protocol';
import { Commitment } from '../model/commitment';
import { Holding } from '../model/holding';
import { Listing } from '../model/listing';
import {
  MAX_INVESTORS,
  planCommitment,
  planSettlement,
  planWithdrawal,
  requireSettleable,
} from './campaigns';

const ASSET = `A${'b'.repeat(32)}`;
const SELLER = `U${'a'.repeat(32)}`;
const BUYER = `U${'c'.repeat(32)}`;
const LISTING = `L${'d'.repeat(32)}`;
const DEADLINE = '2025-02-10T00:00:00.000Z';
const BEFORE = new Date('2025-02-01T00:00:00.000Z');
const AFTER = new Date('2025-02-10T00:00:00.000Z');

function campaign(remaining: number, investors: number, targetUnits = 10): Listing {
  return new Listing({
    listingId: LISTING,
    kind: 'CAMPAIGN',
    assetId: ASSET,
    sellerId: SELLER,
    sellerPlatform: 'Platform1MSP',
    units: 1000,
    remaining,
    pricePerUnit: 3,
    minPerBuyer: 1,
    maxPerBuyer: 1000,
    expiresAt: DEADLINE,
    status: 'OPEN',
    createdAt: '2025-01-01T00:00:00.000Z',
    targetUnits,
    investors,
  });
}

const commitment = (units: number, buyerId = BUYER): Commitment =>
  new Commitment({
    listingId: LISTING,
    buyerId,
    buyerPlatform: 'Platform2MSP',
    units,
    committedAt: BEFORE.toISOString(),
  });

describe('planCommitment', () => {
  it('counts a new investor once and adds to an existing commitment', () => {
    const request = { buyerId: BUYER, buyerPlatform: 'Platform2MSP', units: 5 };
    const first = planCommitment(campaign(1000, 0), undefined, request, BEFORE);
    expect(first.listing).toMatchObject({ remaining: 995, investors: 1 });
    const second = planCommitment(first.listing, first.commitment, request, BEFORE);
    expect(second.listing).toMatchObject({ remaining: 990, investors: 1 });
    expect(second.commitment.units).toBe(10);
  });

  it(`takes at most ${String(MAX_INVESTORS)} investors, so one settlement can take them all`, () => {
    const request = { buyerId: BUYER, buyerPlatform: 'Platform2MSP', units: 1 };
    expect(() => planCommitment(campaign(800, MAX_INVESTORS), undefined, request, BEFORE)).toThrow(
      `LIMIT_EXCEEDED: campaign ${LISTING} already has the most investors one settlement can take (200)`,
    );
    expect(
      planCommitment(campaign(800, MAX_INVESTORS), commitment(1), request, BEFORE).commitment.units,
    ).toBe(2);
  });
});

describe('planWithdrawal', () => {
  it('closes 48 hours and one proposal time window before the deadline, to the millisecond', () => {
    const cutoff = new Date(Date.parse(DEADLINE) - 48 * 60 * 60 * 1000 - PROPOSAL_TIME_WINDOW_MS);
    const open = planWithdrawal(campaign(990, 1), commitment(10), BUYER, new Date(cutoff.getTime() - 1));
    expect(open.listing).toMatchObject({ remaining: 1000, investors: 0 });
    expect(() => planWithdrawal(campaign(990, 1), commitment(10), BUYER, cutoff)).toThrow(
      `WITHDRAWAL_CLOSED: commitments to campaign ${LISTING} can be withdrawn only until ${cutoff.toISOString()}`,
    );
  });
});

describe('settlement', () => {
  it('opens one proposal time window after the deadline: a timestamp inside the margin may be early', () => {
    const opens = new Date(AFTER.getTime() + PROPOSAL_TIME_WINDOW_MS);
    for (const at of [AFTER, new Date(opens.getTime() - 1)]) {
      expect(() => {
        requireSettleable(campaign(1000, 0), at);
      }).toThrow(
        `CAMPAIGN_OPEN: campaign ${LISTING} has its deadline at ${DEADLINE}; it settles from ${opens.toISOString()}`,
      );
    }
    expect(() => {
      requireSettleable(campaign(1000, 0), opens);
    }).not.toThrow();
  });

  it('calls commitments that do not match the campaign CORRUPT_STATE', () => {
    const input = {
      listing: campaign(990, 1),
      commitments: [commitment(9)],
      sellerHolding: new Holding({
        assetId: ASSET,
        userId: SELLER,
        units: 1000,
        escrowed: 1000,
        certificate: 'DUE',
      }),
      buyerHoldings: new Map(),
      txId: 'tx',
      at: AFTER,
    };
    expect(() => planSettlement(input)).toThrow(
      `CORRUPT_STATE: campaign ${LISTING} records 10 units from 1 investors, but its commitments hold 9 from 1`,
    );
  });

  it('succeeds exactly at the target', () => {
    const plan = planSettlement({
      listing: campaign(990, 1, 10),
      commitments: [commitment(10)],
      sellerHolding: new Holding({
        assetId: ASSET,
        userId: SELLER,
        units: 1000,
        escrowed: 1000,
        certificate: 'DUE',
      }),
      buyerHoldings: new Map(),
      txId: 'tx',
      at: AFTER,
    });
    expect(plan).toMatchObject({
      succeeded: true,
      seller: { units: 990, escrowed: 0 },
      listing: { status: 'SUCCEEDED' },
    });
    expect(plan.trades).toHaveLength(1);
  });
});
