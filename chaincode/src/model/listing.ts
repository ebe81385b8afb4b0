import {
  CAMPAIGN_ALLOCATIONS,
  type CampaignAllocation,
  LISTING_KINDS,
  type ListingKind,
  type ListingStatus,
} from '@crowdledger/protocol';
import { Object as DataType } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { requireInstant, requireOneOf, requireWholeNumber } from '../values/guards';
import { requireAssetId, requireListingId, requireMspId, requireUserId } from '../values/ids';
import { requirePrice } from '../values/prices';
import { requireUnits } from '../values/units';
import { count, type FieldsOf, optional, parseFields, record, recordCodec, text } from './record';

const STATUSES_OF: Readonly<Record<ListingKind, readonly ListingStatus[]>> = {
  FIXED: ['OPEN', 'CLOSED', 'CANCELLED', 'EXPIRED'],
  CAMPAIGN: ['OPEN', 'SUCCEEDED', 'FAILED', 'CANCELLED'],
};

/** The campaign rules (R9) a FIXED listing does not have. */
export interface CampaignTerms {
  /** Committed units needed by the deadline for the campaign to succeed. */
  readonly targetUnits: number;
  /** Investors counted at settlement (before allocation rules: as they committed). */
  readonly investors: number;
  /** How an oversubscribed campaign allocates; FIRST_COME for campaigns created without one. */
  readonly allocation: CampaignAllocation;
}

/** A whole number from 0 to the listing's units, read before it. */
const upToUnits = (value: unknown, name: string, earlier: Readonly<Record<string, unknown>>): number =>
  requireWholeNumber(value, name, 0, earlier['units'] as number);

const LISTING = {
  listingId: text(requireListingId),
  /** FIXED | CAMPAIGN */
  kind: text((value, name) => requireOneOf(value, name, LISTING_KINDS)),
  assetId: text(requireAssetId),
  sellerId: text(requireUserId),
  /** MSP ID of the seller's platform, which created the listing. */
  sellerPlatform: text(requireMspId),
  /** Units offered, all escrowed from the seller's holding at creation. */
  units: count(requireUnits),
  /** Units not yet sold (FIXED) or allocated (CAMPAIGN); still escrowed while OPEN. */
  remaining: count(upToUnits),
  /** Whole minor units of the asset's currency (fen) per unit. */
  pricePerUnit: count(requirePrice),
  /** Per buyer (per investor for a campaign), over all their purchases from this listing. */
  minPerBuyer: count(requireUnits),
  maxPerBuyer: count(requireUnits),
  /** FIXED: no purchase at or after this instant. CAMPAIGN: the deadline. */
  expiresAt: text(requireInstant),
  status: text((value, name, earlier) =>
    requireOneOf(value, name, STATUSES_OF[earlier['kind'] as ListingKind]),
  ),
  createdAt: text(requireInstant),
  /** CAMPAIGN only. */
  targetUnits: optional(count(requireUnits)),
  /** CAMPAIGN only: investors counted at settlement, 0 while open. */
  investors: optional(count((value, name) => requireWholeNumber(value, name, 0, Number.MAX_SAFE_INTEGER))),
  /** CAMPAIGN only, optional: FIRST_COME | PRO_RATA (protocol CAMPAIGN_ALLOCATIONS); absent is FIRST_COME. */
  allocation: optional(text((value, name) => requireOneOf(value, name, CAMPAIGN_ALLOCATIONS))),
};

export type ListingFields = FieldsOf<typeof LISTING>;

/**
 * A crowdfunding listing (R8), or a campaign listing (R9). One record per
 * listing: the only record every purchase from a fixed-price listing
 * rewrites. Commitments to a campaign never rewrite it; settlement does.
 */
@DataType()
export class Listing extends record(LISTING) {
  static parse(value: unknown): Listing {
    const fields = parseFields(LISTING, value, 'listing');
    if (fields.minPerBuyer > fields.maxPerBuyer) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'minPerBuyer exceeds maxPerBuyer');
    }
    const terms = [fields.targetUnits, fields.investors].filter((term) => term !== undefined).length;
    if (terms !== (fields.kind === 'CAMPAIGN' ? 2 : 0)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        'targetUnits and investors go with kind CAMPAIGN, and only with it',
      );
    }
    if (fields.allocation !== undefined && fields.kind !== 'CAMPAIGN') {
      throw new ChaincodeError('INVALID_ARGUMENT', 'allocation goes with kind CAMPAIGN, and only with it');
    }
    if (fields.targetUnits !== undefined && fields.targetUnits > fields.units) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'targetUnits exceeds units');
    }
    return new Listing(fields);
  }

  /** The campaign rules, undefined for a FIXED listing. */
  campaignTerms(): CampaignTerms | undefined {
    return this.targetUnits === undefined || this.investors === undefined
      ? undefined
      : {
          targetUnits: this.targetUnits,
          investors: this.investors,
          allocation: this.allocation ?? 'FIRST_COME',
        };
  }

  /** A copy with some fields changed; identity, terms and kind never change. */
  with(changes: Partial<Pick<ListingFields, 'remaining' | 'status' | 'investors'>>): Listing {
    return new Listing({ ...this.fields(), ...changes });
  }
}

export const listingCodec = recordCodec((value) => Listing.parse(value));
