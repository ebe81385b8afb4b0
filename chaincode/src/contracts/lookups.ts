import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { getAsset } from '../ledger/assets';
import { getListing } from '../ledger/listings';
import { getOffer } from '../ledger/offers';
import { getUser } from '../ledger/users';
import type { Asset } from '../model/asset';
import type { Listing } from '../model/listing';
import type { Offer } from '../model/offer';
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

export async function requireListing(ctx: Context, listingId: string): Promise<Listing> {
  const listing = await getListing(ctx.stub, listingId);
  if (listing === undefined) {
    throw new ChaincodeError('LISTING_NOT_FOUND', `no listing ${listingId} exists`);
  }
  return listing;
}

export async function requireOffer(ctx: Context, offerId: string): Promise<Offer> {
  const offer = await getOffer(ctx.stub, offerId);
  if (offer === undefined) {
    throw new ChaincodeError('OFFER_NOT_FOUND', `no offer ${offerId} exists`);
  }
  return offer;
}
