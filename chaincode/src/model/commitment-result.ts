import { Object as DataType, Property } from 'fabric-contract-api';
import type { RefusalCode } from '@crowdledger/protocol';
import type { Commitment } from './commitment';
import type { Listing } from './listing';
import type { Outcome, Refusal } from './outcome';

/** A commitment and the campaign after it changed. */
export interface CommitmentChange {
  /** After Commit: the investor's total; after Withdraw: what was released. */
  readonly commitment: Commitment;
  readonly listing: Listing;
}

/**
 * campaigns:Commit and campaigns:Withdraw. OK: {outcome, commitment,
 * listing}; REFUSED: {outcome, code, sentence}.
 */
@DataType()
export class CommitmentResult {
  /** OK | REFUSED */
  @Property('outcome', 'string')
  readonly outcome: Outcome;

  /** REFUSED only: BAD_TRANSACTION_KEY | LOCKED. */
  @Property('code', 'string')
  readonly code?: RefusalCode;

  @Property('sentence', 'string')
  readonly sentence?: string;

  @Property('commitment', 'Commitment')
  readonly commitment?: Commitment;

  @Property('listing', 'Listing')
  readonly listing?: Listing;

  private constructor(change: CommitmentChange | undefined, refusal: Refusal | undefined) {
    this.outcome = refusal === undefined ? 'OK' : 'REFUSED';
    if (refusal !== undefined) {
      this.code = refusal.code;
      this.sentence = refusal.sentence;
    }
    if (change !== undefined) {
      this.commitment = change.commitment;
      this.listing = change.listing;
    }
  }

  static ok(change: CommitmentChange): CommitmentResult {
    return new CommitmentResult(change, undefined);
  }

  static refused(refusal: Refusal): CommitmentResult {
    return new CommitmentResult(undefined, refusal);
  }
}
