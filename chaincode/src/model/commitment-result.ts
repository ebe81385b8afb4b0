import { Object as DataType } from 'fabric-contract-api';
import type { Commitment } from './commitment';
import type { Listing } from './listing';
import { record, shown } from './record';

/** A commitment and the campaign after it changed. */
export interface CommitmentChange {
  /** After Commit: the investor's total; after Withdraw: what was released. */
  readonly commitment: Commitment;
  readonly listing: Listing;
}

const CHANGE = {
  commitment: shown<Commitment>('Commitment'),
  listing: shown<Listing>('Listing'),
};

/** campaigns:Commit and campaigns:Withdraw: {commitment, listing}. */
@DataType()
export class CommitmentResult extends record(CHANGE) {}
