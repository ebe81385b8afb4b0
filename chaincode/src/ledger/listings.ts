import type { Context } from 'fabric-contract-api';
import { type Listing, listingCodec } from '../model/listing';
import { ListingRef, listingRefCodec } from '../model/listing-ref';
import { type Purchase, purchaseCodec } from '../model/purchase';
import { indexed } from './indexed';
import { KeyPrefix, stateKey } from './keys';
import { type PageRequest, type PageResult, pagePartial } from './query';
import { deleteRecord, getRecord, putRecord } from './state';

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

/** A new listing and its open-listings index entry. */
export async function putNewListing(stub: Stub, listing: Listing): Promise<void> {
  await putRecord(stub, listingKey(stub, listing.listingId), listing, listingCodec);
  await putRecord(stub, openKey(stub, listing.listingId), new ListingRef(listing.listingId), listingRefCodec);
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
  const refs = await pagePartial(stub, KeyPrefix.openListing, [], page, listingRefCodec);
  const listings = await Promise.all(
    refs.records.map(async (ref) =>
      indexed(await getListing(stub, ref.listingId), listingKey(stub, ref.listingId)),
    ),
  );
  return { ...refs, records: listings };
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
