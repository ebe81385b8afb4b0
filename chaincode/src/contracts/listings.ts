import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { putHolding } from '../ledger/assets';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { openListingsPage, putListing, requireListing } from '../ledger/listings';
import { txTime } from '../ledger/state';
import type { Listing } from '../model/listing';
import { ListingPage } from '../model/page';
import { requireListingId } from '../values/ids';
import { requireConsentingUser } from '../rules/consent';
import { requirePublicReader, requireWriter } from '../rules/identity';
import { hasCommitments } from '../ledger/commitments';
import { cancelledListing, escrowOf, expiredListing, parseListingInput } from '../rules/listings';
import { requirePageRequest } from '../values/paging';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import { prepareRelease } from '../steps/holdings';
import { openListing } from '../steps/listings';
import { recordConsent, requireConsent } from '../steps/consent';

/**
 * Crowdfunding listings (R8): a seller's units, escrowed, offered to buyers
 * of every platform. Creating and cancelling take the seller's signed
 * request and signature as the arguments (R7): the act's parameters come
 * from the signed request and nowhere else.
 */
@Info({ title: 'listings', description: 'Fixed-price listings: create, cancel, expire, browse' })
export class ListingsContract extends CrowdLedgerContract {
  constructor() {
    super('listings');
  }

  /**
   * request: the seller's signed listings:Create {assetId, units,
   * pricePerUnit, minPerBuyer, maxPerBuyer, expiresAt}, prices in fen;
   * signature: ES256 r‖s, base64url. By the seller's platform.
   */
  @Transaction()
  @Returns('Listing')
  async Create(ctx: Context, request: string, signature: string): Promise<Listing> {
    const consent = await requireConsent(ctx, 'listings:Create', request, signature);
    const input = parseListingInput(consent.params, consent.user.userId, txTime(ctx.stub));
    return openListing(ctx, consent, input);
  }

  /**
   * The seller's platform withdraws an open listing; its escrow goes back to
   * the seller. request: the seller's signed listings:Cancel {listingId}.
   */
  @Transaction()
  @Returns('Listing')
  async Cancel(ctx: Context, request: string, signature: string): Promise<Listing> {
    const consent = await requireConsent(ctx, 'listings:Cancel', request, signature);
    const listing = await requireListing(ctx, requireListingId(consent.params.listingId, 'params.listingId'));
    requireConsentingUser(consent.request, listing.sellerId, `listing ${listing.listingId}`);
    const cancelled = cancelledListing(
      listing,
      listing.kind === 'CAMPAIGN' && (await hasCommitments(ctx.stub, listing.listingId)),
    );
    const holding = await prepareRelease(ctx, {
      assetId: listing.assetId,
      sellerId: listing.sellerId,
      units: escrowOf(listing),
    });
    await recordConsent(ctx, consent);
    await putHolding(ctx.stub, holding);
    await putListing(ctx.stub, cancelled);
    emitEvent(ctx.stub, EventName.listingCancelled, cancelled.toBytes());
    return cancelled;
  }

  /** After expiresAt any platform or the registry admin releases an open listing's escrow. No signature. */
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
