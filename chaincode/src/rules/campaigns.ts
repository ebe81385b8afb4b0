import { closesAt, opensAt, surelyBefore, surelyReached } from '../values/deadlines';
import { ChaincodeError } from '../values/errors';
import { Commitment } from '../model/commitment';
import type { Holding } from '../model/holding';
import type { CampaignTerms, Listing } from '../model/listing';
import type { Trade } from '../model/trade';
import type { Credit } from '../model/holding-changes';
import { creditBuyer, debitSeller } from './escrow';
import { tradeIdFor } from '@crowdledger/protocol';
import {
  type ListingInput,
  parseSaleTerms,
  requireAvailable,
  requireBuyerLimits,
  requireLaterInstant,
  requireNotSelf,
  saleFields,
} from './listings';
import { newTrade } from './trades';
import { requireUnits } from '../values/units';

/**
 * Commitments can be withdrawn until this long before the deadline (R9),
 * and one proposal time window more (values/deadlines.ts).
 */
export const WITHDRAWAL_CUTOFF_MS = 48 * 60 * 60 * 1000;
/**
 * Settlement writes every commitment's trade in one transaction, so a
 * campaign takes at most this many investors.
 */
export const MAX_INVESTORS = 200;

/** The campaigns:Create argument, checked, in listing terms: expiresAt is the deadline. */
export interface CampaignInput extends ListingInput {
  readonly targetUnits: number;
}

/** campaigns:Create's signed params and the seller, checked. */
export function parseCampaignInput(params: object, sellerId: string, at: Date): CampaignInput {
  const name = 'params';
  const fields = saleFields(params, sellerId, [
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
}

export interface CommitmentPlan {
  readonly listing: Listing;
  readonly commitment: Commitment;
}

/** Reserves units for an investor; their total stays within the per-investor limits. */
export function planCommitment(
  listing: Listing,
  previous: Commitment | undefined,
  request: CommitmentRequest,
  at: Date,
): CommitmentPlan {
  requireNotSelf(listing.sellerId, request.buyerId);
  requireTakingCommitments(listing, at);
  const terms = termsOf(listing);
  const already = previous?.units ?? 0;
  requireAvailable(listing, { buyerId: request.buyerId, units: request.units, already }, 'commit');
  const investors = terms.investors + (previous === undefined ? 1 : 0);
  if (investors > MAX_INVESTORS) {
    throw new ChaincodeError(
      'LIMIT_EXCEEDED',
      `campaign ${listing.listingId} already has the most investors one settlement can take (${String(MAX_INVESTORS)})`,
    );
  }
  return {
    listing: listing.with({
      remaining: listing.remaining - request.units,
      investors,
    }),
    commitment: new Commitment({
      listingId: listing.listingId,
      buyerId: request.buyerId,
      buyerPlatform: request.buyerPlatform,
      units: already + request.units,
      committedAt: at.toISOString(),
    }),
  };
}

/** Releases an investor's whole commitment, until 48 hours and one proposal time window before the deadline. */
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
  const terms = termsOf(listing);
  return {
    listing: listing.with({
      remaining: listing.remaining + commitment.units,
      investors: terms.investors - 1,
    }),
    commitment,
  };
}

/** Settlement comes once, from one proposal time window after the deadline (values/deadlines.ts). */
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

export interface SettlementInput {
  readonly listing: Listing;
  /** Every commitment to the campaign, in buyer ID order. */
  readonly commitments: readonly Commitment[];
  readonly sellerHolding: Holding;
  /** Each committed buyer's holding before settlement, undefined if none. */
  readonly buyerHoldings: ReadonlyMap<string, Holding | undefined>;
  readonly txId: string;
  readonly at: Date;
}

export interface SettlementPlan {
  readonly listing: Listing;
  readonly succeeded: boolean;
  readonly trades: readonly Trade[];
  readonly credits: readonly Credit[];
  /** Undefined when the seller sold their last unit. */
  readonly seller: Holding | undefined;
}

/**
 * R9: with the target met every commitment becomes a trade at the listed
 * price; otherwise every commitment is released. Either way the campaign's
 * whole escrow leaves the seller's escrowed units.
 */
export function planSettlement(input: SettlementInput): SettlementPlan {
  const { listing, commitments } = input;
  const committed = requireConsistent(listing, commitments);
  const succeeded = committed >= termsOf(listing).targetUnits;
  if (!succeeded) {
    return {
      listing: listing.with({ status: 'FAILED' }),
      succeeded,
      trades: [],
      credits: [],
      seller: debitSeller(input.sellerHolding, 0, listing.units),
    };
  }
  const trades = commitments.map((commitment) => settlementTrade(listing, commitment, input));
  const credits = commitments.map((commitment) =>
    creditBuyer(
      input.buyerHoldings.get(commitment.buyerId),
      { assetId: listing.assetId, userId: commitment.buyerId },
      commitment.units,
    ),
  );
  return {
    listing: listing.with({ status: 'SUCCEEDED' }),
    succeeded,
    trades,
    credits,
    seller: debitSeller(input.sellerHolding, committed, listing.units - committed),
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
    units: commitment.units,
    pricePerUnit: listing.pricePerUnit,
    at: input.at,
  });
}

/** The commitments must account for exactly what the campaign says is committed. */
function requireConsistent(listing: Listing, commitments: readonly Commitment[]): number {
  const committed = commitments.reduce((sum, commitment) => sum + commitment.units, 0);
  const { investors } = termsOf(listing);
  if (committed !== listing.units - listing.remaining || commitments.length !== investors) {
    throw new ChaincodeError(
      'CORRUPT_STATE',
      `campaign ${listing.listingId} records ${String(listing.units - listing.remaining)} units from ${String(investors)} investors, but its commitments hold ${String(committed)} from ${String(commitments.length)}`,
    );
  }
  return committed;
}
