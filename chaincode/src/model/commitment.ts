import { Object as DataType } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { requireInstant, requireLine, requireWholeNumber } from '../values/guards';
import { requireListingId, requireMspId, requireUserId } from '../values/ids';
import { requireUnits } from '../values/units';
import { count, type FieldsOf, optional, parseFields, record, recordCodec, text } from './record';

/** A whole number from 0 to the commitment's units, read before it. */
const upToUnits = (value: unknown, name: string, earlier: Readonly<Record<string, unknown>>): number =>
  requireWholeNumber(value, name, 0, earlier['units'] as number);

const fen = (value: unknown, name: string): number =>
  requireWholeNumber(value, name, 0, Number.MAX_SAFE_INTEGER);

const COMMITMENT = {
  listingId: text(requireListingId),
  buyerId: text(requireUserId),
  buyerPlatform: text(requireMspId),
  /** The investor's total commitment to this campaign. */
  units: count(requireUnits),
  /** ISO-8601 transaction time of the last commitment that changed units. */
  committedAt: text(requireInstant),
  /** That transaction's ID: with committedAt, the commitment's place in FIRST_COME order. */
  txId: optional(text((value, name) => requireLine(value, name, 128))),
  /** Settlement: units allocated (0 when the campaign failed). */
  allocatedUnits: optional(count(upToUnits)),
  /** Settlement: allocatedUnits × price, fen. */
  amount: optional(count(fen)),
  /** Settlement: (units − allocatedUnits) × price, fen, owed back to the investor. */
  refund: optional(count(fen)),
};

const OUTCOME = ['allocatedUnits', 'amount', 'refund'] as const;

export type CommitmentFields = FieldsOf<typeof COMMITMENT>;

/**
 * Units an investor has reserved in a campaign (R9): the one record a
 * commitment writes. Nothing moves until the campaign settles; settlement
 * records the outcome on it (allocatedUnits, amount, refund) and the
 * allocated units become a trade. Withdrawal deletes it; its history keeps
 * every version.
 */
@DataType()
export class Commitment extends record(COMMITMENT) {
  static parse(value: unknown): Commitment {
    const fields = parseFields(COMMITMENT, value, 'commitment');
    const outcome = OUTCOME.filter((name) => fields[name] !== undefined).length;
    if (outcome !== 0 && outcome !== OUTCOME.length) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'allocatedUnits, amount and refund go together');
    }
    return new Commitment(fields);
  }

  /** True once settlement recorded its outcome. */
  get settled(): boolean {
    return this.allocatedUnits !== undefined;
  }

  /** The commitment with its settlement outcome: units allocated, and what that costs and refunds in fen. */
  settledWith(allocatedUnits: number, pricePerUnit: number): Commitment {
    return new Commitment({
      ...this.fields(),
      allocatedUnits,
      amount: allocatedUnits * pricePerUnit,
      refund: (this.units - allocatedUnits) * pricePerUnit,
    });
  }
}

export const commitmentCodec = recordCodec((value) => Commitment.parse(value));
