import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../ledger/state';
import { requireFields } from '../rules/guards';
import { requireListingId } from '../rules/ids';
import { parseStored } from './stored';

/** Value of an openListing index entry; an empty value would be a delete. */
export class ListingRef {
  readonly listingId: string;

  constructor(listingId: string) {
    this.listingId = listingId;
  }

  static parse(value: unknown): ListingRef {
    return new ListingRef(
      requireListingId(requireFields(value, 'listing index entry', ['listingId'])['listingId']),
    );
  }

  toBytes(): Uint8Array {
    return canonicalBytes({ listingId: this.listingId });
  }
}

export const listingRefCodec: Codec<ListingRef> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => ListingRef.parse(value)),
  toBytes: (value) => value.toBytes(),
};
