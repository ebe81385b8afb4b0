import { Object as DataType, Property } from 'fabric-contract-api';
import type { Commitment } from './commitment';
import type { Listing } from './listing';

/** A commitment and the campaign after it changed. */
export interface CommitmentChange {
  /** After Commit: the investor's total; after Withdraw: what was released. */
  readonly commitment: Commitment;
  readonly listing: Listing;
}

/** campaigns:Commit and campaigns:Withdraw: {commitment, listing}. */
@DataType()
export class CommitmentResult implements CommitmentChange {
  @Property('commitment', 'Commitment')
  readonly commitment: Commitment;

  @Property('listing', 'Listing')
  readonly listing: Listing;

  constructor(change: CommitmentChange) {
    this.commitment = change.commitment;
    this.listing = change.listing;
  }
}
