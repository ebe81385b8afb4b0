import * as fc from 'fast-check';
import { CAMPAIGN_ALLOCATIONS } from '@crowdledger/protocol';
import { Commitment } from '../model/commitment';
import { Listing } from '../model/listing';
import { allocate, type Claim, firstComeOrder } from './allocation';
import { planSettlement } from './campaigns';

const LISTING = `L${'d'.repeat(32)}`;

const claimsArbitrary = (maxUnits: number): fc.Arbitrary<Claim[]> =>
  fc
    .array(
      fc.record({
        units: fc.integer({ min: 1, max: maxUnits }),
        second: fc.integer({ min: 0, max: 20 }),
        tx: fc.integer({ min: 0, max: 0xffff }),
      }),
      { minLength: 1, maxLength: 60 },
    )
    .map((raw) =>
      raw.map((r, i) => ({
        buyerId: `U${i.toString(16).padStart(32, '0')}`,
        units: r.units,
        committedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, r.second)).toISOString(),
        txId: r.tx.toString(16).padStart(64, '0'),
      })),
    );

const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

describe('allocate', () => {
  it('conserves units: the allocations sum to min(supply, claimed), none above its claim', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CAMPAIGN_ALLOCATIONS),
        fc.integer({ min: 1, max: 5_000 }),
        claimsArbitrary(1_000),
        (rule, supply, claims) => {
          const allocated = allocate(rule, supply, claims);
          const claimed = sum(claims.map((c) => c.units));
          expect(sum(allocated.values())).toBe(Math.min(supply, claimed));
          for (const claim of claims) {
            const units = allocated.get(claim.buyerId) ?? -1;
            expect(Number.isInteger(units) && units >= 0 && units <= claim.units).toBe(true);
          }
        },
      ),
    );
  });

  it('does not depend on the order the claims are read in', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CAMPAIGN_ALLOCATIONS),
        fc.integer({ min: 1, max: 3_000 }),
        claimsArbitrary(500).chain((claims) =>
          fc.tuple(fc.constant(claims), fc.shuffledSubarray(claims, { minLength: claims.length })),
        ),
        (rule, supply, [claims, shuffled]) => {
          expect(new Map([...allocate(rule, supply, shuffled)].sort())).toEqual(
            new Map([...allocate(rule, supply, claims)].sort()),
          );
        },
      ),
    );
  });

  it('first come: nobody later gets a unit while anybody earlier is short', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000 }), claimsArbitrary(500), (supply, claims) => {
        const allocated = allocate('FIRST_COME', supply, claims);
        const ordered = [...claims].sort(firstComeOrder);
        const firstShort = ordered.findIndex((c) => (allocated.get(c.buyerId) ?? 0) < c.units);
        if (firstShort >= 0) {
          expect(ordered.slice(firstShort + 1).every((c) => allocated.get(c.buyerId) === 0)).toBe(true);
        }
      }),
    );
  });

  it('pro rata: each gets its exact share rounded down or up, never further off', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3_000 }), claimsArbitrary(500), (supply, claims) => {
        const allocated = allocate('PRO_RATA', supply, claims);
        const claimed = BigInt(sum(claims.map((c) => c.units)));
        if (claimed <= BigInt(supply)) {
          return;
        }
        for (const claim of claims) {
          const floor = (BigInt(claim.units) * BigInt(supply)) / claimed;
          const units = BigInt(allocated.get(claim.buyerId) ?? -1);
          expect(units === floor || units === floor + 1n).toBe(true);
        }
      }),
    );
  });
});

describe('settlement conserves units and money', () => {
  it('escrow = sold + released, every fen paid or refunded, trades carry what was allocated', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CAMPAIGN_ALLOCATIONS),
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 1, max: 99_999 }),
        claimsArbitrary(400),
        fc.integer({ min: 1, max: 2_000 }),
        (allocation, units, pricePerUnit, claims, target) => {
          const listing = new Listing({
            listingId: LISTING,
            kind: 'CAMPAIGN',
            assetId: `A${'b'.repeat(32)}`,
            sellerId: `U${'a'.repeat(32)}`,
            sellerPlatform: 'Platform1MSP',
            units,
            remaining: units,
            pricePerUnit,
            minPerBuyer: 1,
            maxPerBuyer: units,
            expiresAt: '2025-02-01T00:00:00.000Z',
            status: 'OPEN',
            createdAt: '2025-01-01T00:00:00.000Z',
            targetUnits: Math.min(target, units),
            investors: 0,
            allocation,
          });
          const commitments = claims.map(
            (c) =>
              new Commitment({ ...c, listingId: LISTING, buyerPlatform: 'Platform2MSP', units: c.units }),
          );
          const plan = planSettlement({
            listing,
            commitments,
            txId: 'tx',
            at: new Date('2025-02-02T00:00:00Z'),
          });
          expect(plan.pending).toBe(0);
          expect(plan.sold + plan.released).toBe(units);
          expect(plan.sold).toBe(sum(plan.trades.map((t) => t.units)));
          expect(plan.listing.remaining).toBe(plan.released);
          const paid = sum(plan.settled.map((c) => c.amount ?? 0));
          const refunded = sum(plan.settled.map((c) => c.refund ?? 0));
          expect(paid + refunded).toBe(sum(claims.map((c) => c.units)) * pricePerUnit);
          expect(paid).toBe(sum(plan.trades.map((t) => t.amount)));
          expect(plan.succeeded).toBe(sum(claims.map((c) => c.units)) >= Math.min(target, units));
        },
      ),
    );
  });
});
