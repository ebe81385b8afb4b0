import type { CampaignAllocation } from '@crowdledger/protocol';

/*
 * How a campaign shares its units among commitments that together may ask
 * for more (R9, protocol CAMPAIGN_ALLOCATIONS). Commitments write only their
 * own record, so nothing refuses one for want of units: this decides at
 * settlement, from all of them at once. Pure and exact: whole units, BigInt
 * where a product could pass 2^53, every order total (no Map or object
 * iteration order is relied on).
 */

/** What allocation needs of one commitment. */
export interface Claim {
  readonly buyerId: string;
  readonly units: number;
  /** ISO-8601 time of the commitment's last change. */
  readonly committedAt: string;
  /** That change's transaction ID; '' for commitments recorded before it was kept. */
  readonly txId?: string;
}

/**
 * FIRST_COME order: by the time of the commitment's last change (the
 * proposal's timestamp, which its client sets within the peers' time
 * window), then by its transaction ID, then by buyer ID (unique per
 * campaign), so the order is total. Chaincode cannot see block positions;
 * this is the closest order every endorser computes alike.
 */
export function firstComeOrder(a: Claim, b: Claim): number {
  return (
    compare(a.committedAt, b.committedAt) ||
    compare(a.txId ?? '', b.txId ?? '') ||
    compare(a.buyerId, b.buyerId)
  );
}

function compare(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/**
 * Units allocated to each buyer, from `supply` units. When the claims fit,
 * each gets what it asked; otherwise the rule decides. The result sums to
 * min(supply, total claimed) and no buyer gets more than they claimed.
 */
export function allocate(
  rule: CampaignAllocation,
  supply: number,
  claims: readonly Claim[],
): ReadonlyMap<string, number> {
  const claimed = claims.reduce((sum, claim) => sum + BigInt(claim.units), 0n);
  if (claimed <= BigInt(supply)) {
    return new Map(claims.map((claim) => [claim.buyerId, claim.units]));
  }
  return rule === 'PRO_RATA' ? proRata(supply, claimed, claims) : firstCome(supply, claims);
}

/** In FIRST_COME order each claim is met in full while units last; the one at the edge gets the rest. */
function firstCome(supply: number, claims: readonly Claim[]): ReadonlyMap<string, number> {
  const allocated = new Map<string, number>();
  let left = supply;
  for (const claim of [...claims].sort(firstComeOrder)) {
    const units = Math.min(claim.units, left);
    allocated.set(claim.buyerId, units);
    left -= units;
  }
  return allocated;
}

/**
 * Largest remainders (Hamilton's method): floor(units × supply ÷ claimed)
 * each, then the units the floors left over — fewer than the claims — one
 * each to the largest remainders of that division, ties in FIRST_COME order.
 */
function proRata(supply: number, claimed: bigint, claims: readonly Claim[]): ReadonlyMap<string, number> {
  const shares = claims.map((claim) => {
    const exact = BigInt(claim.units) * BigInt(supply);
    return { claim, units: exact / claimed, remainder: exact % claimed };
  });
  let left = BigInt(supply) - shares.reduce((sum, share) => sum + share.units, 0n);
  const byRemainder = [...shares].sort(
    (a, b) => compareBig(b.remainder, a.remainder) || firstComeOrder(a.claim, b.claim),
  );
  const allocated = new Map<string, number>();
  for (const share of byRemainder) {
    const extra = left > 0n ? 1n : 0n;
    left -= extra;
    allocated.set(share.claim.buyerId, Number(share.units + extra));
  }
  return allocated;
}

function compareBig(a: bigint, b: bigint): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
