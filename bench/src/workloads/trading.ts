import { hotListing, PRICE, tradingSlots } from '../fixtures';
import type { LoadWorkload } from './workload';

/** A signed purchase of one unit, each worker on its own listing: no two buys in flight share a key. */
export const independentBuys: LoadWorkload = {
  kind: 'load',
  name: 'independent-buys',
  what: 'trades.buy of 1 unit, signed by the buyer (R7); each worker has its own seller, listing and buyer',
  mode: 'submit',
  async prepare(world) {
    const slots = await tradingSlots(world);
    return {
      operation: (slot) => {
        const s = slots[slot];
        if (s === undefined) {
          throw new Error(`no trading slot ${String(slot)}`);
        }
        return world.platform2.trades.buy(s.listingId, s.buyer.userId, 1, {
          ...s.buyer.consent,
          pricePerUnit: PRICE,
        });
      },
    };
  },
};

/** Every worker buys from the same fixed-price listing: what contention on one listing costs. */
export const hotListingBuys: LoadWorkload = {
  kind: 'load',
  name: 'hot-listing',
  what: 'trades.buy of 1 unit, signed, every worker on one fixed-price listing (read conflicts retried)',
  mode: 'submit',
  async prepare(world) {
    const [slots, listingId] = await Promise.all([tradingSlots(world), hotListing(world)]);
    return {
      operation: (slot) => {
        const buyer = slots[slot]?.buyer;
        if (buyer === undefined) {
          throw new Error(`no buyer ${String(slot)}`);
        }
        return world.platform2.trades.buy(listingId, buyer.userId, 1, {
          ...buyer.consent,
          pricePerUnit: PRICE,
        });
      },
    };
  },
};
