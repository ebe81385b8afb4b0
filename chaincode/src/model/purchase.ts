import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields } from '../values/guards';
import { requireListingId, requireUserId } from '../values/ids';
import { requireUnits } from '../values/units';
import { parseStored } from '../values/codec';

/**
 * Units one buyer has bought from one listing, for its per-buyer limits (R8).
 * Its own record, so buyers of the same listing never rewrite each other's.
 */
export class Purchase {
  readonly listingId: string;
  readonly buyerId: string;
  readonly units: number;

  constructor(listingId: string, buyerId: string, units: number) {
    this.listingId = listingId;
    this.buyerId = buyerId;
    this.units = units;
  }

  static parse(value: unknown): Purchase {
    const fields = requireFields(value, 'purchase', ['listingId', 'buyerId', 'units']);
    return new Purchase(
      requireListingId(fields['listingId']),
      requireUserId(fields['buyerId'], 'buyerId'),
      requireUnits(fields['units'], 'units'),
    );
  }

  toBytes(): Uint8Array {
    return canonicalBytes({ listingId: this.listingId, buyerId: this.buyerId, units: this.units });
  }
}

export const purchaseCodec: Codec<Purchase> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => Purchase.parse(value)),
  toBytes: (value) => value.toBytes(),
};
