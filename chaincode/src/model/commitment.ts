import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields, requireInstant } from '../values/guards';
import { requireListingId, requireMspId, requireUserId } from '../values/ids';
import { requireUnits } from '../values/units';
import { parseStored } from '../values/codec';

export interface CommitmentFields {
  readonly listingId: string;
  readonly buyerId: string;
  readonly buyerPlatform: string;
  readonly units: number;
  readonly committedAt: string;
}

/**
 * Units an investor has reserved in a campaign (R9). Nothing moves until the
 * campaign settles: then it becomes a trade, or is released. Withdrawal and
 * settlement delete it; its history keeps every version.
 */
@DataType()
export class Commitment {
  @Property('listingId', 'string')
  readonly listingId: string;

  @Property('buyerId', 'string')
  readonly buyerId: string;

  @Property('buyerPlatform', 'string')
  readonly buyerPlatform: string;

  /** The investor's total commitment to this campaign. */
  @Property('units', 'number')
  readonly units: number;

  /** ISO-8601 transaction time of the last commitment that changed units. */
  @Property('committedAt', 'string')
  readonly committedAt: string;

  constructor(fields: CommitmentFields) {
    this.listingId = fields.listingId;
    this.buyerId = fields.buyerId;
    this.buyerPlatform = fields.buyerPlatform;
    this.units = fields.units;
    this.committedAt = fields.committedAt;
  }

  static parse(value: unknown): Commitment {
    const fields = requireFields(value, 'commitment', [
      'listingId',
      'buyerId',
      'buyerPlatform',
      'units',
      'committedAt',
    ]);
    return new Commitment({
      listingId: requireListingId(fields['listingId']),
      buyerId: requireUserId(fields['buyerId'], 'buyerId'),
      buyerPlatform: requireMspId(fields['buyerPlatform'], 'buyerPlatform'),
      units: requireUnits(fields['units'], 'units'),
      committedAt: requireInstant(fields['committedAt'], 'committedAt'),
    });
  }

  toJson(): Record<string, JsonValue> {
    return {
      listingId: this.listingId,
      buyerId: this.buyerId,
      buyerPlatform: this.buyerPlatform,
      units: this.units,
      committedAt: this.committedAt,
    };
  }

  toBytes(): Uint8Array {
    return canonicalBytes(this.toJson());
  }
}

export const commitmentCodec: Codec<Commitment> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => Commitment.parse(value)),
  toBytes: (value) => value.toBytes(),
};
