import { Object as DataType, Property } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import {
  type Fields,
  requireFields,
  requireInstant,
  requireOneOf,
  requireWholeNumber,
} from '../values/guards';
import { requireAssetId, requireListingId, requireMspId, requireUserId } from '../values/ids';
import { requirePrice } from '../values/prices';
import { requireUnits } from '../values/units';
import { parseStored } from '../values/codec';

export const LISTING_KINDS = ['FIXED', 'CAMPAIGN'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

/**
 * FIXED: OPEN → CLOSED (sold out) | CANCELLED | EXPIRED.
 * CAMPAIGN: OPEN → SUCCEEDED | FAILED (settled) | CANCELLED (no commitments).
 */
export const LISTING_STATUSES = ['OPEN', 'CLOSED', 'CANCELLED', 'EXPIRED', 'SUCCEEDED', 'FAILED'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

const STATUSES_OF: Readonly<Record<ListingKind, readonly ListingStatus[]>> = {
  FIXED: ['OPEN', 'CLOSED', 'CANCELLED', 'EXPIRED'],
  CAMPAIGN: ['OPEN', 'SUCCEEDED', 'FAILED', 'CANCELLED'],
};

/** The campaign rules (R9) a FIXED listing does not have. */
export interface CampaignTerms {
  /** Committed units needed by the deadline for the campaign to succeed. */
  readonly targetUnits: number;
  /** Investors with a commitment now. */
  readonly investors: number;
}

export interface ListingFields {
  readonly listingId: string;
  readonly kind: ListingKind;
  readonly assetId: string;
  readonly sellerId: string;
  readonly sellerPlatform: string;
  readonly units: number;
  readonly remaining: number;
  readonly pricePerUnit: number;
  readonly minPerBuyer: number;
  readonly maxPerBuyer: number;
  readonly expiresAt: string;
  readonly status: ListingStatus;
  readonly createdAt: string;
  readonly campaign?: CampaignTerms;
}

/**
 * A crowdfunding listing (R8), or a campaign listing (R9). One record per
 * listing: the only record every purchase from it rewrites.
 */
@DataType()
export class Listing {
  @Property('listingId', 'string')
  readonly listingId: string;

  /** FIXED | CAMPAIGN */
  @Property('kind', 'string')
  readonly kind: ListingKind;

  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('sellerId', 'string')
  readonly sellerId: string;

  /** MSP ID of the seller's platform, which created the listing. */
  @Property('sellerPlatform', 'string')
  readonly sellerPlatform: string;

  /** Units offered, all escrowed from the seller's holding at creation. */
  @Property('units', 'number')
  readonly units: number;

  /** Units not yet sold (FIXED) or committed (CAMPAIGN); still escrowed while OPEN. */
  @Property('remaining', 'number')
  readonly remaining: number;

  /** Whole minor units of the asset's currency (fen) per unit. */
  @Property('pricePerUnit', 'number')
  readonly pricePerUnit: number;

  /** Per buyer (per investor for a campaign), over all their purchases from this listing. */
  @Property('minPerBuyer', 'number')
  readonly minPerBuyer: number;

  @Property('maxPerBuyer', 'number')
  readonly maxPerBuyer: number;

  /** FIXED: no purchase at or after this instant. CAMPAIGN: the deadline. */
  @Property('expiresAt', 'string')
  readonly expiresAt: string;

  @Property('status', 'string')
  readonly status: ListingStatus;

  @Property('createdAt', 'string')
  readonly createdAt: string;

  /** CAMPAIGN only. */
  @Property('targetUnits', 'number')
  readonly targetUnits?: number;

  /** CAMPAIGN only: investors holding a commitment. */
  @Property('investors', 'number')
  readonly investors?: number;

  constructor(fields: ListingFields) {
    this.listingId = fields.listingId;
    this.kind = fields.kind;
    this.assetId = fields.assetId;
    this.sellerId = fields.sellerId;
    this.sellerPlatform = fields.sellerPlatform;
    this.units = fields.units;
    this.remaining = fields.remaining;
    this.pricePerUnit = fields.pricePerUnit;
    this.minPerBuyer = fields.minPerBuyer;
    this.maxPerBuyer = fields.maxPerBuyer;
    this.expiresAt = fields.expiresAt;
    this.status = fields.status;
    this.createdAt = fields.createdAt;
    if (fields.campaign !== undefined) {
      this.targetUnits = fields.campaign.targetUnits;
      this.investors = fields.campaign.investors;
    }
  }

  static parse(value: unknown): Listing {
    const fields = requireFields(value, 'listing', REQUIRED, ['targetUnits', 'investors']);
    const kind = requireOneOf(fields['kind'], 'kind', LISTING_KINDS);
    const units = requireUnits(fields['units'], 'units');
    const minPerBuyer = requireUnits(fields['minPerBuyer'], 'minPerBuyer');
    const maxPerBuyer = requireUnits(fields['maxPerBuyer'], 'maxPerBuyer');
    if (minPerBuyer > maxPerBuyer) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'minPerBuyer exceeds maxPerBuyer');
    }
    return new Listing({
      listingId: requireListingId(fields['listingId']),
      kind,
      assetId: requireAssetId(fields['assetId']),
      sellerId: requireUserId(fields['sellerId'], 'sellerId'),
      sellerPlatform: requireMspId(fields['sellerPlatform'], 'sellerPlatform'),
      units,
      remaining: requireWholeNumber(fields['remaining'], 'remaining', 0, units),
      pricePerUnit: requirePrice(fields['pricePerUnit'], 'pricePerUnit'),
      minPerBuyer,
      maxPerBuyer,
      expiresAt: requireInstant(fields['expiresAt'], 'expiresAt'),
      status: requireOneOf(fields['status'], 'status', STATUSES_OF[kind]),
      createdAt: requireInstant(fields['createdAt'], 'createdAt'),
      ...parseCampaign(fields, kind, units),
    });
  }

  /** The campaign rules, undefined for a FIXED listing. */
  campaignTerms(): CampaignTerms | undefined {
    return this.targetUnits === undefined || this.investors === undefined
      ? undefined
      : { targetUnits: this.targetUnits, investors: this.investors };
  }

  /** A copy with some fields changed; identity, terms and kind never change. */
  with(changes: Partial<Pick<ListingFields, 'remaining' | 'status' | 'campaign'>>): Listing {
    return new Listing({ ...this.#fields(), ...changes });
  }

  toJson(): Record<string, JsonValue> {
    const { campaign, ...fields } = this.#fields();
    return { ...fields, ...(campaign === undefined ? {} : { ...campaign }) };
  }

  toBytes(): Uint8Array {
    return canonicalBytes(this.toJson());
  }

  #fields(): ListingFields {
    const base = {
      listingId: this.listingId,
      kind: this.kind,
      assetId: this.assetId,
      sellerId: this.sellerId,
      sellerPlatform: this.sellerPlatform,
      units: this.units,
      remaining: this.remaining,
      pricePerUnit: this.pricePerUnit,
      minPerBuyer: this.minPerBuyer,
      maxPerBuyer: this.maxPerBuyer,
      expiresAt: this.expiresAt,
      status: this.status,
      createdAt: this.createdAt,
    };
    const campaign = this.campaignTerms();
    return campaign === undefined ? base : { ...base, campaign };
  }
}

const REQUIRED = [
  'listingId',
  'kind',
  'assetId',
  'sellerId',
  'sellerPlatform',
  'units',
  'remaining',
  'pricePerUnit',
  'minPerBuyer',
  'maxPerBuyer',
  'expiresAt',
  'status',
  'createdAt',
];

function parseCampaign(fields: Fields, kind: ListingKind, units: number): { campaign?: CampaignTerms } {
  const present = fields['targetUnits'] !== undefined && fields['investors'] !== undefined;
  if (present !== (kind === 'CAMPAIGN')) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      'targetUnits and investors go with kind CAMPAIGN, and only with it',
    );
  }
  if (!present) {
    return {};
  }
  const targetUnits = requireUnits(fields['targetUnits'], 'targetUnits');
  if (targetUnits > units) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'targetUnits exceeds units');
  }
  return {
    campaign: { targetUnits, investors: requireWholeNumber(fields['investors'], 'investors', 0, units) },
  };
}

export const listingCodec: Codec<Listing> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => Listing.parse(value)),
  toBytes: (value) => value.toBytes(),
};
