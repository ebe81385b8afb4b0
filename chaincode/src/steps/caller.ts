import type { Context } from 'fabric-contract-api';
import { callerFacts } from '../ledger/caller';
import { storedAssetCa } from '../ledger/config';
import type { CallerDescription } from '../model/caller';
import { describeCaller } from '../rules/identity';

/** Who is calling, with holders recognised by the stored asset CA. */
export async function currentCaller(ctx: Context): Promise<CallerDescription> {
  return describeCaller(callerFacts(ctx), await storedAssetCa(ctx));
}
