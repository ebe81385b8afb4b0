import { Object as DataType } from 'fabric-contract-api';
import type { Offer } from './offer';
import { type Refusal, refusable } from './outcome';
import { optional, shown } from './record';

/** offers:Create and offers:Cancel. OK: {outcome, offer}; REFUSED: {outcome, code, sentence}. */
@DataType()
export class OfferResult extends refusable({ offer: optional(shown<Offer>('Offer')) }) {
  static ok(offer: Offer): OfferResult {
    return new OfferResult({ outcome: 'OK', offer });
  }

  static refused(refusal: Refusal): OfferResult {
    return new OfferResult({ outcome: 'REFUSED', ...refusal });
  }
}
