import { Object as DataType } from 'fabric-contract-api';
import type { Listing } from './listing';
import { type Refusal, refusable } from './outcome';
import { optional, shown } from './record';

/**
 * listings:Create, listings:Cancel and campaigns:Create. OK: {outcome,
 * listing}; REFUSED: {outcome, code, sentence}.
 */
@DataType()
export class ListingResult extends refusable({ listing: optional(shown<Listing>('Listing')) }) {
  static ok(listing: Listing): ListingResult {
    return new ListingResult({ outcome: 'OK', listing });
  }

  static refused(refusal: Refusal): ListingResult {
    return new ListingResult({ outcome: 'REFUSED', ...refusal });
  }
}
