import { Object as DataType, Property } from 'fabric-contract-api';
import type { RefusalCode } from '@crowdledger/protocol';
import type { Listing } from './listing';
import type { Outcome, Refusal } from './outcome';

/**
 * listings:Create, listings:Cancel and campaigns:Create. OK: {outcome,
 * listing}; REFUSED: {outcome, code, sentence}.
 */
@DataType()
export class ListingResult {
  /** OK | REFUSED */
  @Property('outcome', 'string')
  readonly outcome: Outcome;

  /** REFUSED only: BAD_TRANSACTION_KEY | LOCKED. */
  @Property('code', 'string')
  readonly code?: RefusalCode;

  @Property('sentence', 'string')
  readonly sentence?: string;

  @Property('listing', 'Listing')
  readonly listing?: Listing;

  private constructor(listing: Listing | undefined, refusal: Refusal | undefined) {
    this.outcome = refusal === undefined ? 'OK' : 'REFUSED';
    if (refusal !== undefined) {
      this.code = refusal.code;
      this.sentence = refusal.sentence;
    }
    if (listing !== undefined) {
      this.listing = listing;
    }
  }

  static ok(listing: Listing): ListingResult {
    return new ListingResult(listing, undefined);
  }

  static refused(refusal: Refusal): ListingResult {
    return new ListingResult(undefined, refusal);
  }
}
