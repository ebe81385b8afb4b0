import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { getAsset } from '../ledger/assets';
import { getUser } from '../ledger/users';
import type { Asset } from '../model/asset';
import type { User } from '../model/user';

/** Reads that every contract needs to fail with the same code and sentence. */
export async function requireUser(ctx: Context, userId: string): Promise<User> {
  const user = await getUser(ctx.stub, userId);
  if (user === undefined) {
    throw new ChaincodeError('USER_NOT_FOUND', `no user ${userId} is registered`);
  }
  return user;
}

export async function requireAsset(ctx: Context, assetId: string): Promise<Asset> {
  const asset = await getAsset(ctx.stub, assetId);
  if (asset === undefined) {
    throw new ChaincodeError('ASSET_NOT_FOUND', `no asset ${assetId} is registered`);
  }
  return asset;
}
