import { PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/protocol';
import { closesAt, opensAt, surelyBefore, surelyReached } from '../values/deadlines';
import { ChaincodeError } from '../values/errors';
import { type CampaignAllocation, type ListingKind, type ListingStatus } from '@crowdledger/protocol';
import { Listing } from '../model/listing';
import { Purchase } from '../model/purchase';
import { type Fields, requireFields, requireInstant } from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';
import { requirePrice, requireSafeAmount } from '../values/prices';
import { requireUnits } from '../values/units';

/** What a seller offers, whatever the form of sale. */
export interface SaleTerms {
  readonly assetId: string;
  readonly sellerId: string;
  readonly units: number;
  readonly pricePerUnit: number;
}

/** The listings:Create argument, checked. */
export interface ListingInput extends SaleTerms {
  readonly minPerBuyer: number;
  readonly maxPerBuyer: number;
  readonly expiresAt: string;
}

/**
 * The terms of a sale as the seller signed them (the request's params),
 * with the seller: the consenting user, never a parameter of their own.
 */
export function saleFields(params: object, sellerId: string, required: readonly string[]): Fields {
  return requireFields({ ...params, sellerId }, 'params', [...required, 'sellerId']);
}

/** Seller, asset, units and price; the whole offer's amount must be a safe integer. */
export function parseSaleTerms(fields: Fields, name: string): SaleTerms {
  const units = requireUnits(fields['units'], `${name}.units`);
  const pricePerUnit = requirePrice(fields['pricePerUnit'], `${name}.pricePerUnit`);
  requireSafeAmount(units, pricePerUnit, name);
  return {
    assetId: requireAssetId(fields['assetId'], `${name}.assetId`),
    sellerId: requireUserId(fields['sellerId'], `${name}.sellerId`),
    units,
    pricePerUnit,
  };
}

/**
 * An ISO instant, as Date.toISOString writes it, more than one proposal
 * time window after the transaction time: a listing, offer or campaign that
 * could take nothing before it closes (values/deadlines.ts) is refused.
 */
export function requireLaterInstant(value: unknown, name: string, at: Date): string {
  const instant = requireInstant(value, name);
  if (!surelyBefore(at, instant)) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${name} must be after the transaction time ${at.toISOString()} by more than the proposal time window (${String(PROPOSAL_TIME_WINDOW_MS / 1000)} s)`,
    );
  }
  return instant;
}

/** Per-buyer limits: 1 ≤ min ≤ max, and min no more than the units offered. */
export function requireBuyerLimits(
  values: { readonly min: unknown; readonly max: unknown; readonly units: number },
  names: { readonly min: string; readonly max: string },
): { minPerBuyer: number; maxPerBuyer: number } {
  const minPerBuyer = requireUnits(values.min, names.min);
  const maxPerBuyer = requireUnits(values.max, names.max);
  if (minPerBuyer > maxPerBuyer || minPerBuyer > values.units) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${names.min} must be at most ${names.max} and at most the units offered`,
    );
  }
  return { minPerBuyer, maxPerBuyer };
}

/** listings:Create's signed params and the seller, checked. */
export function parseListingInput(params: object, sellerId: string, at: Date): ListingInput {
  const name = 'params';
  const fields = saleFields(params, sellerId, [
    'assetId',
    'units',
    'pricePerUnit',
    'minPerBuyer',
    'maxPerBuyer',
    'expiresAt',
  ]);
  const terms = parseSaleTerms(fields, name);
  return {
    ...terms,
    ...requireBuyerLimits(
      { min: fields['minPerBuyer'], max: fields['maxPerBuyer'], units: terms.units },
      { min: `${name}.minPerBuyer`, max: `${name}.maxPerBuyer` },
    ),
    expiresAt: requireLaterInstant(fields['expiresAt'], `${name}.expiresAt`, at),
  };
}

export interface NewListing {
  readonly listingId: string;
  readonly kind: ListingKind;
  readonly sellerPlatform: string;
  readonly at: Date;
  /** CAMPAIGN only. */
  readonly campaign?: { readonly targetUnits: number; readonly allocation: CampaignAllocation };
}

export function newListing(input: ListingInput, made: NewListing): Listing {
  return new Listing({
    listingId: made.listingId,
    kind: made.kind,
    assetId: input.assetId,
    sellerId: input.sellerId,
    sellerPlatform: made.sellerPlatform,
    units: input.units,
    remaining: input.units,
    pricePerUnit: input.pricePerUnit,
    minPerBuyer: input.minPerBuyer,
    maxPerBuyer: input.maxPerBuyer,
    expiresAt: input.expiresAt,
    status: 'OPEN',
    createdAt: made.at.toISOString(),
    ...(made.campaign === undefined ? {} : { ...made.campaign, investors: 0 }),
  });
}

const USE: Readonly<Record<ListingKind, string>> = {
  FIXED: 'trades:Buy, listings:Cancel and listings:Expire',
  CAMPAIGN: 'campaigns:Commit, campaigns:Withdraw and campaigns:Settle',
};

/** Fixed-price listings and campaigns share an ID space; each call takes one kind. */
export function requireKind(listing: Listing, kind: ListingKind): Listing {
  if (listing.kind !== kind) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `listing ${listing.listingId} is a ${listing.kind} listing: use ${USE[listing.kind]}`,
    );
  }
  return listing;
}

export function requireNotSelf(sellerId: string, buyerId: string): void {
  if (sellerId === buyerId) {
    throw new ChaincodeError('SELF_TRADE', `user ${buyerId} is the seller and cannot buy from themselves`);
  }
}

/** The units escrowed for an OPEN listing: a campaign keeps all it offered until it settles. */
export function escrowOf(listing: Listing): number {
  return listing.kind === 'CAMPAIGN' ? listing.units : listing.remaining;
}

function requireOpenFixed(listing: Listing, at: Date): void {
  if (listing.status !== 'OPEN') {
    throw new ChaincodeError('LISTING_CLOSED', `listing ${listing.listingId} is ${listing.status}`);
  }
  // Purchases close one proposal time window before expiresAt (values/deadlines.ts).
  if (!surelyBefore(at, listing.expiresAt)) {
    throw new ChaincodeError(
      'LISTING_CLOSED',
      `listing ${listing.listingId} expires at ${listing.expiresAt} and took purchases until ${closesAt(listing.expiresAt)}, one proposal time window before`,
    );
  }
}

export interface Request {
  readonly buyerId: string;
  readonly units: number;
  /** What the buyer already holds under this listing: purchases or commitment. */
  readonly already: number;
}

/**
 * The units left and the per-buyer limits, over everything the buyer took
 * from this listing. Below the minimum is allowed only to take the last
 * units, so a listing never ends with units nobody may buy.
 */
export function requireAvailable(listing: Listing, request: Request, verb: 'buy' | 'commit'): void {
  const { buyerId, units, already } = request;
  if (units > listing.remaining) {
    throw new ChaincodeError(
      'INSUFFICIENT_UNITS',
      `listing ${listing.listingId} has ${String(listing.remaining)} units left, ${String(units)} requested`,
    );
  }
  const total = already + units;
  if (total > listing.maxPerBuyer) {
    throw new ChaincodeError(
      'LIMIT_EXCEEDED',
      `${buyerId} may ${verb} at most ${String(listing.maxPerBuyer)} units of listing ${listing.listingId} in all; they have ${String(already)} and asked for ${String(units)}`,
    );
  }
  if (total < listing.minPerBuyer && units !== listing.remaining) {
    throw new ChaincodeError(
      'LIMIT_EXCEEDED',
      `${buyerId} must ${verb} at least ${String(listing.minPerBuyer)} units of listing ${listing.listingId} in all, or all ${String(listing.remaining)} left; they have ${String(already)} and asked for ${String(units)}`,
    );
  }
}

export interface PurchasePlan {
  readonly listing: Listing;
  readonly purchase: Purchase;
  /** The listing sold out: it leaves the open-listings index. */
  readonly closes: boolean;
}

/** R8: a partial fill of an open fixed-price listing. */
export function planPurchase(
  listing: Listing,
  previous: Purchase | undefined,
  request: Omit<Request, 'already'>,
  at: Date,
): PurchasePlan {
  requireNotSelf(listing.sellerId, request.buyerId);
  requireOpenFixed(listing, at);
  const already = previous?.units ?? 0;
  requireAvailable(listing, { ...request, already }, 'buy');
  const remaining = listing.remaining - request.units;
  const status: ListingStatus = remaining === 0 ? 'CLOSED' : 'OPEN';
  return {
    listing: listing.with({ remaining, status }),
    purchase: new Purchase({
      listingId: listing.listingId,
      buyerId: request.buyerId,
      units: already + request.units,
    }),
    closes: remaining === 0,
  };
}

/**
 * The seller withdraws an open listing; what it still escrows is released.
 * A campaign with commitments cannot be cancelled: it settles after its
 * deadline. Commitments do not touch the campaign's record, so the caller
 * says whether any exists (one read of the campaign's commitments).
 */
export function cancelledListing(listing: Listing, hasCommitments: boolean): Listing {
  if (listing.status !== 'OPEN') {
    throw new ChaincodeError('LISTING_CLOSED', `listing ${listing.listingId} is ${listing.status}`);
  }
  if (listing.kind === 'CAMPAIGN' && hasCommitments) {
    throw new ChaincodeError(
      'CAMPAIGN_OPEN',
      `campaign ${listing.listingId} has commitments; it ends with campaigns:Settle after ${listing.expiresAt}`,
    );
  }
  return listing.with({ status: 'CANCELLED' });
}

/**
 * Anyone may expire an open fixed-price listing once its time has surely
 * passed: from one proposal time window after expiresAt (values/deadlines.ts).
 */
export function expiredListing(listing: Listing, at: Date): Listing {
  requireKind(listing, 'FIXED');
  if (listing.status !== 'OPEN') {
    throw new ChaincodeError('LISTING_CLOSED', `listing ${listing.listingId} is ${listing.status}`);
  }
  if (!surelyReached(at, listing.expiresAt)) {
    throw new ChaincodeError(
      'NOT_EXPIRED',
      `listing ${listing.listingId} expires at ${listing.expiresAt}; it can be expired from ${opensAt(listing.expiresAt)}, one proposal time window later`,
    );
  }
  return listing.with({ status: 'EXPIRED' });
}
