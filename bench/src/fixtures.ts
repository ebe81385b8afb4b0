import type { HolderCredentials } from '@crowdledger/client';
import { inParallel } from './drive';
import { type KeyedUser, setup, type World } from './world';

/** Units each trading seller holds and lists: far more than a phase buys. */
const SLOT_UNITS = 100_000;
/** Whole fen per unit on every bench listing. */
export const PRICE = 100;
const DAY_MS = 86_400_000;

/** One in-flight worker's own seller listing and buyer: no key in common with any other slot. */
export interface TradingSlot {
  readonly listingId: string;
  readonly buyer: KeyedUser;
}

/** As many slots as the highest level; a level uses the first `inFlight`. */
export function tradingSlots(world: World): Promise<readonly TradingSlot[]> {
  return world.fixture('trading-slots', async () => {
    const count = Math.max(...world.config.levels, world.config.investors);
    const { platform1, platform2 } = world;
    const sellers = await world.keyed(platform1, await world.users(platform1, 'seller', count));
    const assetId = await world.asset(
      sellers.map((s) => ({ userId: s.userId, units: SLOT_UNITS })),
      'trading',
    );
    const buyers = await world.keyed(platform2, await world.users(platform2, 'buyer', count));
    const expiresAt = new Date(Date.now() + DAY_MS);
    return inParallel(sellers, 16, async (seller, i) => {
      const terms = { assetId, sellerId: seller.userId, units: SLOT_UNITS, pricePerUnit: PRICE };
      const listing = await setup(() =>
        platform1.listings.create(
          { ...terms, minPerBuyer: 1, maxPerBuyer: SLOT_UNITS, expiresAt },
          seller.consent,
        ),
      );
      const buyer = buyers[i];
      if (buyer === undefined) {
        throw new Error(`no buyer for slot ${String(i)}`);
      }
      return { listingId: listing.listingId, buyer };
    });
  });
}

/** One Platform1 seller, one asset and one listing of every unit, for buyers to race for. */
export function hotListing(world: World): Promise<string> {
  return world.fixture('hot-listing', async () => {
    const units = 10_000_000;
    const [seller] = await world.keyed(world.platform1, [await world.user(world.platform1, 'hot-seller')]);
    if (seller === undefined) {
      throw new Error('no hot seller');
    }
    const assetId = await world.asset([{ userId: seller.userId, units }], 'hot');
    const expiresAt = new Date(Date.now() + DAY_MS);
    const terms = {
      assetId,
      sellerId: seller.userId,
      units,
      pricePerUnit: PRICE,
      minPerBuyer: 1,
      maxPerBuyer: units,
    };
    const listing = await setup(() =>
      world.platform1.listings.create({ ...terms, expiresAt }, seller.consent),
    );
    return listing.listingId;
  });
}

/** Platform1 users with no key, for assets with many holders. */
export function holderPool(world: World, count: number): Promise<readonly string[]> {
  return world.fixture(`holder-pool-${String(count)}`, () => world.users(world.platform1, 'holder', count));
}

/** An asset of Platform1's with `capTableHolders` holders, each due a certificate. */
export function capTableAsset(world: World): Promise<string> {
  return world.fixture('cap-table-asset', async () => {
    const holders = await holderPool(world, world.config.capTableHolders);
    return world.asset(
      holders.map((userId) => ({ userId, units: 1 })),
      'cap-table',
    );
  });
}

/** One holder's issued certificate and key, for relayed holder queries. */
export function holderCertificate(world: World): Promise<HolderCredentials> {
  return world.fixture('holder-certificate', async () => {
    const userId = await world.user(world.platform1, 'certificate-holder');
    const assetId = await world.asset([{ userId, units: 100 }], 'holder-query');
    const issued = await setup(() => world.platform1.certificates.issue(assetId, userId));
    return { certificate: issued.certificatePem, privateKey: issued.privateKeyPem };
  });
}
