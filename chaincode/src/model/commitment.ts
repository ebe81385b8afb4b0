import { Object as DataType } from 'fabric-contract-api';
import { requireInstant } from '../values/guards';
import { requireListingId, requireMspId, requireUserId } from '../values/ids';
import { requireUnits } from '../values/units';
import { count, type FieldsOf, parseFields, record, recordCodec, text } from './record';

const COMMITMENT = {
  listingId: text(requireListingId),
  buyerId: text(requireUserId),
  buyerPlatform: text(requireMspId),
  /** The investor's total commitment to this campaign. */
  units: count(requireUnits),
  /** ISO-8601 transaction time of the last commitment that changed units. */
  committedAt: text(requireInstant),
};

export type CommitmentFields = FieldsOf<typeof COMMITMENT>;

/**
 * Units an investor has reserved in a campaign (R9). Nothing moves until the
 * campaign settles: then it becomes a trade, or is released. Withdrawal and
 * settlement delete it; its history keeps every version.
 */
@DataType()
export class Commitment extends record(COMMITMENT) {
  static parse(value: unknown): Commitment {
    return new Commitment(parseFields(COMMITMENT, value, 'commitment'));
  }
}

export const commitmentCodec = recordCodec((value) => Commitment.parse(value));
