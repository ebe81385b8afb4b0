// What the fault suites (failover, SmartBFT, hosts) each set up before they
// break something: users with transaction keys, and a 20-unit listing on a
// fund of 100 units, so each can show that trades still go through.
import type { CrowdLedgerClient } from '../../client/src';
import { fundAsset } from '../support/assets';
import { newPerson, registerUserKey, type UserKey } from './support';

export interface Party {
  readonly userId: string;
  readonly key: UserKey;
}

/** A new user of the client's platform, with a registered transaction key. */
export async function party(client: CrowdLedgerClient, label: string): Promise<Party> {
  const { userId } = await client.users.register(newPerson(label));
  return { userId, key: await registerUserKey(client, userId) };
}

/** Registers a 100-unit fund held by the seller and lists 20 units at 500 fen for an hour; the listing's ID. */
export async function listedFund(
  client: CrowdLedgerClient,
  seller: Party,
  label: string,
  name: string,
): Promise<string> {
  const { assetId } = await client.assets.register(
    fundAsset(`${label}-${seller.userId.slice(1, 9)}`, [{ userId: seller.userId, units: 100 }], {
      name,
      description: label,
    }),
  );
  const listing = await client.listings.create(
    {
      assetId,
      sellerId: seller.userId,
      units: 20,
      pricePerUnit: 500,
      minPerBuyer: 1,
      maxPerBuyer: 20,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
    seller.key,
  );
  return listing.listingId;
}
