import { closesAt, opensAt, surelyBefore, surelyReached } from '../values/deadlines';
import { ChaincodeError } from '../values/errors';
import { Commitment } from '../model/commitment';
import type { Holding } from '../model/holding';
import type { CampaignTerms, Listing } from '../model/listing';
import type { Trade } from '../model/trade';
import type { Credit } from '../model/holding-changes';
import { creditBuyer } from './escrow';
import { CAMPAIGN_ALLOCATIONS, type CampaignAllocation, tradeIdFor } from '@crowdledger/protocol';
import {
  type ListingInput,
  parseSaleTerms,
  requireBuyerLimits,
  requireLaterInstant,
  requireNotSelf,
  saleFields,
} from './listings';
import { newTrade } from './trades';
import { requireOneOf } from '../values/guards';
import { requireUnits } from '../values/units';
import { allocate } from './allocation';

/**
 * Commitments can be withdrawn until this long before the deadline (R9),
 * and one proposal time window more (values/deadlines.ts).
 */
export const WITHDRAWAL_CUTOFF_MS = 48 * 60 * 60 * 1000;
/**
 * Commitments one campaigns:Settle transaction settles (each writes the
 * commitment, and with units allocated a trade and a holding); a campaign
 * with more settles in several steps. Commitments themselves are not
 * capped: nothing shared counts them as they come.
 */
export const SETTLEMENT_BATCH = 200;

/** The campaigns:Create argument, checked, in listing terms: expiresAt is the deadline. */
export interface CampaignInput extends ListingInput {
  readonly targetUnits: number;
  readonly allocation: CampaignAllocation;
}

/** campaigns:Create's signed params and the seller, checked. */
export function parseCampaignInput(params: object, sellerId: string, at: Date): CampaignInput {
  const name = 'params';
  const { allocation = 'FIRST_COME', ...rest } = params as { allocation?: unknown };
  const fields = saleFields(rest, sellerId, [
    'assetId',
    'units',
    'targetUnits',
    'pricePerUnit',
    'minPerInvestor',
    'maxPerInvestor',
    'deadline',
  ]);
  const terms = parseSaleTerms(fields, name);
  const targetUnits = requireUnits(fields['targetUnits'], `${name}.targetUnits`);
  if (targetUnits > terms.units) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name}.targetUnits must be at most ${name}.units`);
  }
  return {
    ...terms,
    targetUnits,
    allocation: requireOneOf(allocation, `${name}.allocation`, CAMPAIGN_ALLOCATIONS),
    ...requireBuyerLimits(
      { min: fields['minPerInvestor'], max: fields['maxPerInvestor'], units: terms.units },
      { min: `${name}.minPerInvestor`, max: `${name}.maxPerInvestor` },
    ),
    expiresAt: requireLaterInstant(fields['deadline'], `${name}.deadline`, at),
  };
}

function termsOf(listing: Listing): CampaignTerms {
  const terms = listing.campaignTerms();
  if (terms === undefined) {
    throw new ChaincodeError('CORRUPT_STATE', `campaign ${listing.listingId} has no campaign terms`);
  }
  return terms;
}

function requireTakingCommitments(listing: Listing, at: Date): void {
  if (listing.status !== 'OPEN') {
    throw new ChaincodeError('CAMPAIGN_CLOSED', `campaign ${listing.listingId} is ${listing.status}`);
  }
  // Commitments close one proposal time window before the deadline, settlement opens one after.
  if (!surelyBefore(at, listing.expiresAt)) {
    throw new ChaincodeError(
      'CAMPAIGN_CLOSED',
      `campaign ${listing.listingId} closed for commitments at ${closesAt(listing.expiresAt)}, one proposal time window before its deadline ${listing.expiresAt}`,
    );
  }
}

export interface CommitmentRequest {
  readonly buyerId: string;
  readonly buyerPlatform: string;
  readonly units: number;
  /** The committing transaction: with its time, the commitment's FIRST_COME place. */
  readonly txId: string;
}

export interface CommitmentPlan {
  /** The campaign as read: a commitment does not change it. */
  readonly listing: Listing;
  readonly commitment: Commitment;
}

/**
 * Reserves units for an investor: their total stays within the
 * per-investor limits. Only the investor's own commitment is written, so
 * concurrent investors never conflict; the campaign may be oversubscribed,
 * and settlement allocates by its rule. A later commitment by the same
 * investor moves their whole commitment to its own time (FIRST_COME).
 */
export function planCommitment(
  listing: Listing,
  previous: Commitment | undefined,
  request: CommitmentRequest,
  at: Date,
): CommitmentPlan {
  requireNotSelf(listing.sellerId, request.buyerId);
  requireTakingCommitments(listing, at);
  termsOf(listing);
  const already = previous?.units ?? 0;
  requireInvestorLimits(listing, { buyerId: request.buyerId, units: request.units, already });
  return {
    listing,
    commitment: new Commitment({
      listingId: listing.listingId,
      buyerId: request.buyerId,
      buyerPlatform: request.buyerPlatform,
      units: already + request.units,
      committedAt: at.toISOString(),
      txId: request.txId,
    }),
  };
}

function requireInvestorLimits(
  listing: Listing,
  request: { readonly buyerId: string; readonly units: number; readonly already: number },
): void {
  const { buyerId, units, already } = request;
  const total = already + units;
  if (total > listing.maxPerBuyer || total < listing.minPerBuyer) {
    throw new ChaincodeError(
      'LIMIT_EXCEEDED',
      `${buyerId} may commit from ${String(listing.minPerBuyer)} to ${String(listing.maxPerBuyer)} units to campaign ${listing.listingId} in all; they have ${String(already)} and asked for ${String(units)}`,
    );
  }
}

/**
 * Releases an investor's whole commitment, until 48 hours and one proposal
 * time window before the deadline. Only the commitment is deleted.
 */
export function planWithdrawal(
  listing: Listing,
  commitment: Commitment | undefined,
  buyerId: string,
  at: Date,
): CommitmentPlan {
  if (listing.status !== 'OPEN') {
    throw new ChaincodeError('CAMPAIGN_CLOSED', `campaign ${listing.listingId} is ${listing.status}`);
  }
  const cutoff = new Date(Date.parse(listing.expiresAt) - WITHDRAWAL_CUTOFF_MS).toISOString();
  if (!surelyBefore(at, cutoff)) {
    throw new ChaincodeError(
      'WITHDRAWAL_CLOSED',
      `commitments to campaign ${listing.listingId} can be withdrawn only until ${closesAt(cutoff)}, 48 hours and one proposal time window before its deadline`,
    );
  }
  if (commitment === undefined) {
    throw new ChaincodeError('NOT_FOUND', `${buyerId} has no commitment to campaign ${listing.listingId}`);
  }
  termsOf(listing);
  return { listing, commitment };
}

/** Settlement comes from one proposal time window after the deadline (values/deadlines.ts), until done. */
export function requireSettleable(listing: Listing, at: Date): void {
  if (listing.status !== 'OPEN') {
    throw new ChaincodeError('CAMPAIGN_CLOSED', `campaign ${listing.listingId} is already ${listing.status}`);
  }
  if (!surelyReached(at, listing.expiresAt)) {
    throw new ChaincodeError(
      'CAMPAIGN_OPEN',
      `campaign ${listing.listingId} has its deadline at ${listing.expiresAt}; it settles from ${opensAt(listing.expiresAt)}, one proposal time window later`,
    );
  }
}

/** Every commitment's allocation: what the campaign's rule gives each, all 0 when it failed. */
export interface Allocation {
  readonly succeeded: boolean;
  readonly units: ReadonlyMap<string, number>;
}

/**
 * R9: the campaign succeeds when the units committed reach its target (at
 * most its units, so whatever the rule, the units allocated do too); then
 * its rule shares its units among the commitments. Otherwise nothing is
 * allocated.
 */
export function allocationOf(listing: Listing, commitments: readonly Commitment[]): Allocation {
  const terms = termsOf(listing);
  const committed = commitments.reduce((sum, commitment) => sum + commitment.units, 0);
  if (committed < terms.targetUnits) {
    return { succeeded: false, units: new Map(commitments.map((c) => [c.buyerId, 0])) };
  }
  return { succeeded: true, units: allocate(terms.allocation, listing.units, commitments) };
}

export interface SettlementInput {
  readonly listing: Listing;
  /** Every commitment to the campaign, in buyer ID order, settled ones included. */
  readonly commitments: readonly Commitment[];
  readonly txId: string;
  readonly at: Date;
}

export interface SettlementPlan {
  /** The campaign after this step. */
  readonly listing: Listing;
  readonly succeeded: boolean;
  /** The commitments this step settles, with their outcome, in buyer ID order. */
  readonly settled: readonly Commitment[];
  /** One trade per settled commitment allocated units. */
  readonly trades: readonly Trade[];
  /** Units leaving the seller's escrow for investors in this step. */
  readonly sold: number;
  /** Units going back to the seller (the last step releases what was not allocated). */
  readonly released: number;
  /** Commitments left for later steps. */
  readonly pending: number;
}

/**
 * One settlement step: the next SETTLEMENT_BATCH unsettled commitments in
 * buyer ID order get their allocation (the same every step: computed from
 * all commitments, which no longer change after the deadline). The step
 * that settles the last one closes the campaign and releases the rest of
 * its escrow. The campaign's escrow is always units − allocated so far.
 */
export function planSettlement(input: SettlementInput): SettlementPlan {
  const { listing, commitments } = input;
  const { succeeded, units } = allocationOf(listing, commitments);
  const before = commitments.reduce((sum, c) => sum + (c.allocatedUnits ?? 0), 0);
  const pending = commitments.filter((c) => !c.settled);
  const settled = pending
    .slice(0, SETTLEMENT_BATCH)
    .map((c) => c.settledWith(units.get(c.buyerId) ?? 0, listing.pricePerUnit));
  const sold = settled.reduce((sum, c) => sum + (c.allocatedUnits ?? 0), 0);
  const last = pending.length <= SETTLEMENT_BATCH;
  const remaining = listing.units - before - sold;
  const status = succeeded ? 'SUCCEEDED' : 'FAILED';
  return {
    listing: listing.with(last ? { remaining, status, investors: commitments.length } : { remaining }),
    succeeded,
    settled,
    trades: settled.filter((c) => (c.allocatedUnits ?? 0) > 0).map((c) => settlementTrade(listing, c, input)),
    sold,
    released: last ? remaining : 0,
    pending: pending.length - settled.length,
  };
}

function settlementTrade(listing: Listing, commitment: Commitment, input: SettlementInput): Trade {
  return newTrade({
    tradeId: tradeIdFor(input.txId, commitment.buyerId),
    via: 'CAMPAIGN',
    listingId: listing.listingId,
    assetId: listing.assetId,
    sellerId: listing.sellerId,
    sellerPlatform: listing.sellerPlatform,
    buyerId: commitment.buyerId,
    buyerPlatform: commitment.buyerPlatform,
    units: commitment.allocatedUnits ?? 0,
    pricePerUnit: listing.pricePerUnit,
    at: input.at,
  });
}

/** Each trade's buyer holding after the credit; a pending holding is refused (R13). */
export function settlementCredits(
  listing: Listing,
  trades: readonly Trade[],
  holdings: ReadonlyMap<string, Holding | undefined>,
): Credit[] {
  return trades.map((trade) =>
    creditBuyer(
      holdings.get(trade.buyerId),
      { assetId: listing.assetId, userId: trade.buyerId },
      trade.units,
    ),
  );
}
