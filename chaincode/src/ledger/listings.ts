import { KeyPrefix } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { type Listing, listingCodec } from '../model/listing';
import { type Purchase, purchaseCodec } from '../model/purchase';
import { putIndexEntry } from './index-entries';
import { indexed } from './indexed';
import { stateKey } from './state-keys';
import type { PageRequest } from '../values/paging';
import { type PageResult, pageIndex } from './query';
import { deleteRecord, getRecord, putRecord } from './state';
import { ChaincodeError } from '../values/errors';

type Stub = Context['stub'];

export function listingKey(stub: Stub, listingId: string): string {
  return stateKey(stub, KeyPrefix.listing, listingId);
}

function openKey(stub: Stub, listingId: string): string {
  return stateKey(stub, KeyPrefix.openListing, listingId);
}

export async function getListing(stub: Stub, listingId: string): Promise<Listing | undefined> {
  return getRecord(stub, listingKey(stub, listingId), listingCodec);
}

export async function requireListing(ctx: Context, listingId: string): Promise<Listing> {
  const listing = await getListing(ctx.stub, listingId);
  if (listing === undefined) {
    throw new ChaincodeError('LISTING_NOT_FOUND', `no listing ${listingId} exists`);
  }
  return listing;
}

/** A new listing and its open-listings index entry. */
export async function putNewListing(stub: Stub, listing: Listing): Promise<void> {
  await putRecord(stub, listingKey(stub, listing.listingId), listing, listingCodec);
  await putIndexEntry(stub, openKey(stub, listing.listingId));
}

/**
 * An updated listing. Every status but OPEN is final, so a listing written
 * with another status has just left OPEN: its index entry goes.
 */
export async function putListing(stub: Stub, listing: Listing): Promise<void> {
  await putRecord(stub, listingKey(stub, listing.listingId), listing, listingCodec);
  if (listing.status !== 'OPEN') {
    await deleteRecord(stub, openKey(stub, listing.listingId));
  }
}

/** Open listings of every platform, fixed-price and campaign, in listing ID order. */
export async function openListingsPage(stub: Stub, page: PageRequest): Promise<PageResult<Listing>> {
  const ids = await pageIndex(stub, KeyPrefix.openListing, [], page);
  const listings = await Promise.all(
    ids.records.map(async (listingId) =>
      indexed(await getListing(stub, listingId), listingKey(stub, listingId)),
    ),
  );
  return { ...ids, records: listings };
}

function purchaseKey(stub: Stub, listingId: string, buyerId: string): string {
  return stateKey(stub, KeyPrefix.purchase, listingId, buyerId);
}

export async function getPurchase(
  stub: Stub,
  listingId: string,
  buyerId: string,
): Promise<Purchase | undefined> {
  return getRecord(stub, purchaseKey(stub, listingId, buyerId), purchaseCodec);
}

export async function putPurchase(stub: Stub, purchase: Purchase): Promise<void> {
  await putRecord(stub, purchaseKey(stub, purchase.listingId, purchase.buyerId), purchase, purchaseCodec);
}
