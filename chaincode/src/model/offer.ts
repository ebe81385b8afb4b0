import { OFFER_STATUSES, type OfferStatus } from '@crowdledger/protocol';
import { Object as DataType } from 'fabric-contract-api';
import { requireInstant, requireOneOf } from '../values/guards';
import { requireAssetId, requireMspId, requireOfferId, requireUserId } from '../values/ids';
import { requirePrice } from '../values/prices';
import { requireUnits } from '../values/units';
import { count, type FieldsOf, parseFields, record, recordCodec, text } from './record';

/** OPEN → ACCEPTED | CANCELLED | EXPIRED. */

const OFFER = {
  offerId: text(requireOfferId),
  assetId: text(requireAssetId),
  sellerId: text(requireUserId),
  sellerPlatform: text(requireMspId),
  buyerId: text(requireUserId),
  buyerPlatform: text(requireMspId),
  units: count(requireUnits),
  /** Whole minor units (fen). */
  pricePerUnit: count(requirePrice),
  expiresAt: text(requireInstant),
  /** OPEN | ACCEPTED | CANCELLED | EXPIRED */
  status: text((value, name) => requireOneOf(value, name, OFFER_STATUSES)),
  createdAt: text(requireInstant),
};

export type OfferFields = FieldsOf<typeof OFFER>;

/**
 * A private offer: one seller's units, escrowed, for one named buyer, who
 * may be on another platform. Accepted whole or not at all.
 */
@DataType()
export class Offer extends record(OFFER) {
  static parse(value: unknown): Offer {
    return new Offer(parseFields(OFFER, value, 'offer'));
  }

  withStatus(status: OfferStatus): Offer {
    return new Offer({ ...this.fields(), status });
  }
}

export const offerCodec = recordCodec((value) => Offer.parse(value));
