import { Object as DataType, Property } from 'fabric-contract-api';
import type { RefusalCode } from '@crowdledger/protocol';
import type { Offer } from './offer';
import type { Outcome, Refusal } from './outcome';

/** offers:Create and offers:Cancel. OK: {outcome, offer}; REFUSED: {outcome, code, sentence}. */
@DataType()
export class OfferResult {
  /** OK | REFUSED */
  @Property('outcome', 'string')
  readonly outcome: Outcome;

  /** REFUSED only: BAD_TRANSACTION_KEY | LOCKED. */
  @Property('code', 'string')
  readonly code?: RefusalCode;

  @Property('sentence', 'string')
  readonly sentence?: string;

  @Property('offer', 'Offer')
  readonly offer?: Offer;

  private constructor(offer: Offer | undefined, refusal: Refusal | undefined) {
    this.outcome = refusal === undefined ? 'OK' : 'REFUSED';
    if (refusal !== undefined) {
      this.code = refusal.code;
      this.sentence = refusal.sentence;
    }
    if (offer !== undefined) {
      this.offer = offer;
    }
  }

  static ok(offer: Offer): OfferResult {
    return new OfferResult(offer, undefined);
  }

  static refused(refusal: Refusal): OfferResult {
    return new OfferResult(undefined, refusal);
  }
}
