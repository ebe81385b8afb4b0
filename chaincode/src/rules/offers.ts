import { closesAt, opensAt, surelyBefore, surelyReached } from '../values/deadlines';
import { ChaincodeError } from '../values/errors';
import { Offer } from '../model/offer';
import { requireUserId } from '../values/ids';
import { parseSaleTerms, requireLaterInstant, requireNotSelf, type SaleTerms, saleFields } from './listings';

/** The offers:Create argument, checked. */
export interface OfferInput extends SaleTerms {
  readonly buyerId: string;
  readonly expiresAt: string;
}

/** offers:Create's signed params and the seller, checked. */
export function parseOfferInput(params: object, sellerId: string, at: Date): OfferInput {
  const name = 'params';
  const fields = saleFields(params, sellerId, ['assetId', 'buyerId', 'units', 'pricePerUnit', 'expiresAt']);
  const terms = parseSaleTerms(fields, name);
  const buyerId = requireUserId(fields['buyerId'], `${name}.buyerId`);
  requireNotSelf(terms.sellerId, buyerId);
  return { ...terms, buyerId, expiresAt: requireLaterInstant(fields['expiresAt'], `${name}.expiresAt`, at) };
}

export interface NewOffer {
  readonly offerId: string;
  readonly sellerPlatform: string;
  readonly buyerPlatform: string;
  readonly at: Date;
}

export function newOffer(input: OfferInput, made: NewOffer): Offer {
  return new Offer({
    offerId: made.offerId,
    assetId: input.assetId,
    sellerId: input.sellerId,
    sellerPlatform: made.sellerPlatform,
    buyerId: input.buyerId,
    buyerPlatform: made.buyerPlatform,
    units: input.units,
    pricePerUnit: input.pricePerUnit,
    expiresAt: input.expiresAt,
    status: 'OPEN',
    createdAt: made.at.toISOString(),
  });
}

function requireOpenOffer(offer: Offer): void {
  if (offer.status !== 'OPEN') {
    throw new ChaincodeError('OFFER_CLOSED', `offer ${offer.offerId} is ${offer.status}`);
  }
}

/**
 * The named buyer takes all the offered units, until one proposal time
 * window before the offer expires (values/deadlines.ts).
 */
export function acceptedOffer(offer: Offer, at: Date): Offer {
  requireOpenOffer(offer);
  if (!surelyBefore(at, offer.expiresAt)) {
    throw new ChaincodeError(
      'OFFER_CLOSED',
      `offer ${offer.offerId} expires at ${offer.expiresAt} and could be accepted until ${closesAt(offer.expiresAt)}, one proposal time window before`,
    );
  }
  return offer.withStatus('ACCEPTED');
}

/** The seller withdraws an open offer, expired or not; its escrow is released. */
export function cancelledOffer(offer: Offer): Offer {
  requireOpenOffer(offer);
  return offer.withStatus('CANCELLED');
}

/** Anyone may expire an open offer from one proposal time window after its time, releasing the escrow. */
export function expiredOffer(offer: Offer, at: Date): Offer {
  requireOpenOffer(offer);
  if (!surelyReached(at, offer.expiresAt)) {
    throw new ChaincodeError(
      'NOT_EXPIRED',
      `offer ${offer.offerId} expires at ${offer.expiresAt}; it can be expired from ${opensAt(offer.expiresAt)}, one proposal time window later`,
    );
  }
  return offer.withStatus('EXPIRED');
}
