import { Object as DataType } from 'fabric-contract-api';
import type { Commitment } from './commitment';
import type { Listing } from './listing';
import { type Refusal, refusable } from './outcome';
import { optional, shown } from './record';

/** A commitment and the campaign after it changed. */
export interface CommitmentChange {
  /** After Commit: the investor's total; after Withdraw: what was released. */
  readonly commitment: Commitment;
  readonly listing: Listing;
}

const CHANGE = {
  commitment: optional(shown<Commitment>('Commitment')),
  listing: optional(shown<Listing>('Listing')),
};

/**
 * campaigns:Commit and campaigns:Withdraw. OK: {outcome, commitment,
 * listing}; REFUSED: {outcome, code, sentence}.
 */
@DataType()
export class CommitmentResult extends refusable(CHANGE) {
  static ok(change: CommitmentChange): CommitmentResult {
    return new CommitmentResult({ outcome: 'OK', ...change });
  }

  static refused(refusal: Refusal): CommitmentResult {
    return new CommitmentResult({ outcome: 'REFUSED', ...refusal });
  }
}
