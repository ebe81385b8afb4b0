import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields, requireInstant, requireOneOf } from '../values/guards';
import { requireAssetId, requireMspId, requireOfferId, requireUserId } from '../values/ids';
import { requirePrice } from '../values/prices';
import { requireUnits } from '../values/units';
import { parseStored } from '../values/codec';

/** OPEN → ACCEPTED | CANCELLED | EXPIRED. */
export const OFFER_STATUSES = ['OPEN', 'ACCEPTED', 'CANCELLED', 'EXPIRED'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export interface OfferFields {
  readonly offerId: string;
  readonly assetId: string;
  readonly sellerId: string;
  readonly sellerPlatform: string;
  readonly buyerId: string;
  readonly buyerPlatform: string;
  readonly units: number;
  readonly pricePerUnit: number;
  readonly expiresAt: string;
  readonly status: OfferStatus;
  readonly createdAt: string;
}

/**
 * A private offer: one seller's units, escrowed, for one named buyer, who
 * may be on another platform. Accepted whole or not at all.
 */
@DataType()
export class Offer {
  @Property('offerId', 'string')
  readonly offerId: string;

  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('sellerId', 'string')
  readonly sellerId: string;

  @Property('sellerPlatform', 'string')
  readonly sellerPlatform: string;

  @Property('buyerId', 'string')
  readonly buyerId: string;

  @Property('buyerPlatform', 'string')
  readonly buyerPlatform: string;

  @Property('units', 'number')
  readonly units: number;

  /** Whole minor units (fen). */
  @Property('pricePerUnit', 'number')
  readonly pricePerUnit: number;

  @Property('expiresAt', 'string')
  readonly expiresAt: string;

  /** OPEN | ACCEPTED | CANCELLED | EXPIRED */
  @Property('status', 'string')
  readonly status: OfferStatus;

  @Property('createdAt', 'string')
  readonly createdAt: string;

  constructor(fields: OfferFields) {
    this.offerId = fields.offerId;
    this.assetId = fields.assetId;
    this.sellerId = fields.sellerId;
    this.sellerPlatform = fields.sellerPlatform;
    this.buyerId = fields.buyerId;
    this.buyerPlatform = fields.buyerPlatform;
    this.units = fields.units;
    this.pricePerUnit = fields.pricePerUnit;
    this.expiresAt = fields.expiresAt;
    this.status = fields.status;
    this.createdAt = fields.createdAt;
  }

  static parse(value: unknown): Offer {
    const fields = requireFields(value, 'offer', [
      'offerId',
      'assetId',
      'sellerId',
      'sellerPlatform',
      'buyerId',
      'buyerPlatform',
      'units',
      'pricePerUnit',
      'expiresAt',
      'status',
      'createdAt',
    ]);
    return new Offer({
      offerId: requireOfferId(fields['offerId']),
      assetId: requireAssetId(fields['assetId']),
      sellerId: requireUserId(fields['sellerId'], 'sellerId'),
      sellerPlatform: requireMspId(fields['sellerPlatform'], 'sellerPlatform'),
      buyerId: requireUserId(fields['buyerId'], 'buyerId'),
      buyerPlatform: requireMspId(fields['buyerPlatform'], 'buyerPlatform'),
      units: requireUnits(fields['units'], 'units'),
      pricePerUnit: requirePrice(fields['pricePerUnit'], 'pricePerUnit'),
      expiresAt: requireInstant(fields['expiresAt'], 'expiresAt'),
      status: requireOneOf(fields['status'], 'status', OFFER_STATUSES),
      createdAt: requireInstant(fields['createdAt'], 'createdAt'),
    });
  }

  withStatus(status: OfferStatus): Offer {
    return new Offer({ ...this.#fields(), status });
  }

  toJson(): Record<string, JsonValue> {
    return { ...this.#fields() };
  }

  toBytes(): Uint8Array {
    return canonicalBytes(this.toJson());
  }

  #fields(): OfferFields {
    return {
      offerId: this.offerId,
      assetId: this.assetId,
      sellerId: this.sellerId,
      sellerPlatform: this.sellerPlatform,
      buyerId: this.buyerId,
      buyerPlatform: this.buyerPlatform,
      units: this.units,
      pricePerUnit: this.pricePerUnit,
      expiresAt: this.expiresAt,
      status: this.status,
      createdAt: this.createdAt,
    };
  }
}

export const offerCodec: Codec<Offer> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => Offer.parse(value)),
  toBytes: (value) => value.toBytes(),
};
