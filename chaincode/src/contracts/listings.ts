import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { putHolding } from '../ledger/assets';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { openListingsPage, putListing, requireListing } from '../ledger/listings';
import { txTime } from '../ledger/state';
import type { Listing } from '../model/listing';
import { ListingResult } from '../model/listing-result';
import { ListingPage } from '../model/page';
import { requireListingId } from '../values/ids';
import { requireOwnPlatform, requirePlatform, requirePublicReader, requireWriter } from '../rules/identity';
import { cancelledListing, escrowOf, expiredListing, parseListingInput } from '../rules/listings';
import { requirePageRequest } from '../values/paging';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import { prepareRelease } from '../steps/holdings';
import { openListing } from '../steps/listings';
import { passKeyGate, readTransactionKey } from '../steps/key-gate';
import { requireUser } from '../ledger/users';

/**
 * Crowdfunding listings (R8): a seller's units, escrowed, offered to buyers
 * of every platform. Creating and cancelling take the seller's transaction
 * key in the transient field `key` (R7).
 */
@Info({ title: 'listings', description: 'Fixed-price listings: create, cancel, expire, browse' })
export class ListingsContract extends CrowdLedgerContract {
  constructor() {
    super('listings');
  }

  /**
   * listingJson: {assetId, sellerId, units, pricePerUnit, minPerBuyer,
   * maxPerBuyer, expiresAt}; prices in fen. By the seller's platform.
   */
  @Transaction()
  @Returns('ListingResult')
  async Create(ctx: Context, listingJson: string): Promise<ListingResult> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const input = parseListingInput(listingJson, txTime(ctx.stub));
    return openListing(ctx, caller, input);
  }

  /** The seller's platform withdraws an open listing; its escrow goes back to the seller. */
  @Transaction()
  @Returns('ListingResult')
  async Cancel(ctx: Context, listingId: string): Promise<ListingResult> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const listing = await requireListing(ctx, requireListingId(listingId));
    const seller = await requireUser(ctx, listing.sellerId);
    requireOwnPlatform(caller, seller.platform, `cancel listings of ${seller.userId}`);
    const cancelled = cancelledListing(listing);
    const holding = await prepareRelease(ctx, {
      assetId: listing.assetId,
      sellerId: listing.sellerId,
      units: escrowOf(listing),
    });
    const refusal = await passKeyGate(ctx, seller, readTransactionKey(ctx));
    if (refusal !== undefined) {
      return ListingResult.refused(refusal);
    }
    await putHolding(ctx.stub, holding);
    await putListing(ctx.stub, cancelled);
    emitEvent(ctx.stub, EventName.listingCancelled, cancelled.toBytes());
    return ListingResult.ok(cancelled);
  }

  /** After expiresAt any platform or the registry admin releases an open listing's escrow. No key. */
  @Transaction()
  @Returns('Listing')
  async Expire(ctx: Context, listingId: string): Promise<Listing> {
    requireWriter(await currentCaller(ctx));
    const listing = await requireListing(ctx, requireListingId(listingId));
    const expired = expiredListing(listing, txTime(ctx.stub));
    const holding = await prepareRelease(ctx, {
      assetId: listing.assetId,
      sellerId: listing.sellerId,
      units: escrowOf(listing),
    });
    await putHolding(ctx.stub, holding);
    await putListing(ctx.stub, expired);
    emitEvent(ctx.stub, EventName.listingExpired, expired.toBytes());
    return expired;
  }

  @Transaction(false)
  @Returns('Listing')
  async Get(ctx: Context, listingId: string): Promise<Listing> {
    requirePublicReader(await currentCaller(ctx));
    return requireListing(ctx, requireListingId(listingId));
  }

  /**
   * Open listings of every platform, campaigns included, in listing ID order.
   * A listing past expiresAt stays here until someone calls Expire.
   */
  @Transaction(false)
  @Returns('ListingPage')
  async Open(ctx: Context, pageSize: string, bookmark: string): Promise<ListingPage> {
    requirePublicReader(await currentCaller(ctx));
    const page = await openListingsPage(ctx.stub, requirePageRequest(pageSize, bookmark));
    return new ListingPage(page.records, page.bookmark, page.fetched);
  }
}
