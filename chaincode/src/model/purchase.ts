import { requireListingId, requireUserId } from '../values/ids';
import { requireUnits } from '../values/units';
import { count, type FieldsOf, parseFields, record, recordCodec, text } from './record';

const PURCHASE = {
  listingId: text(requireListingId),
  buyerId: text(requireUserId),
  units: count(requireUnits),
};

export type PurchaseFields = FieldsOf<typeof PURCHASE>;

/**
 * Units one buyer has bought from one listing, for its per-buyer limits (R8).
 * Its own record, so buyers of the same listing never rewrite each other's.
 * Not a contract return type, so it has no @Object metadata.
 */
export class Purchase extends record(PURCHASE) {
  static parse(value: unknown): Purchase {
    return new Purchase(parseFields(PURCHASE, value, 'purchase'));
  }
}

export const purchaseCodec = recordCodec((value) => Purchase.parse(value));
