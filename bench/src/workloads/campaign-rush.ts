import { PRICE, tradingSlots } from '../fixtures';
import { setup } from '../world';
import type { LoadWorkload } from './workload';

/** Units each investor commits. */
const UNITS_EACH = 10;
/** The deadline lies this far ahead when the rush starts: commitments close 30 s before it. */
const LAST_MINUTE_MS = 60_000;

/** R9: every investor commits to one campaign at once, in its last minute. */
export const campaignRush: LoadWorkload = {
  kind: 'load',
  name: 'campaign-rush',
  what: 'campaigns.commit: every investor at once to one campaign whose deadline is a minute away',
  mode: 'submit',
  levels: (config) => [config.investors],
  operations: (config) => config.investors,
  async prepare(world, inFlight) {
    const investors = (await tradingSlots(world)).slice(0, inFlight).map((s) => s.buyer);
    const [seller] = await world.keyed(world.platform1, [
      await world.user(world.platform1, 'campaign-seller'),
    ]);
    if (seller === undefined) {
      throw new Error('no campaign seller');
    }
    const units = inFlight * UNITS_EACH;
    const assetId = await world.asset([{ userId: seller.userId, units }], 'campaign');
    const campaign = await setup(() =>
      world.platform1.campaigns.create(
        {
          assetId,
          sellerId: seller.userId,
          units,
          targetUnits: units,
          pricePerUnit: PRICE,
          minPerInvestor: 1,
          maxPerInvestor: UNITS_EACH,
          // The interleaved baseline runs between this and the rush.
          deadline: new Date(Date.now() + world.config.warmupMs + world.config.durationMs + LAST_MINUTE_MS),
        },
        seller.consent,
      ),
    );
    return {
      operation: (_slot, index) => {
        const investor = investors[index];
        if (investor === undefined) {
          throw new Error(`no investor ${String(index)}`);
        }
        return world.platform2.campaigns.commit(campaign.listingId, investor.userId, UNITS_EACH, {
          ...investor.consent,
          pricePerUnit: PRICE,
        });
      },
    };
  },
};
