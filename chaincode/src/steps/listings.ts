import { type CampaignAllocation, EventName, listingIdFor } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { putHolding } from '../ledger/assets';
import { emitEvent } from '../ledger/events';
import { putNewListing } from '../ledger/listings';
import { txTime } from '../ledger/state';
import type { Listing } from '../model/listing';
import { type ListingInput, newListing } from '../rules/listings';
import { type Consent, recordConsent } from './consent';
import { prepareEscrow } from './holdings';

/**
 * Creates a fixed-price listing or, with campaign terms, a campaign, once the
 * seller's consent has been verified. Writes: the consent record, seller
 * holding, listing, open-listings index entry.
 */
export async function openListing(
  ctx: Context,
  consent: Consent<'listings:Create' | 'campaigns:Create'>,
  input: ListingInput,
  campaign?: { readonly targetUnits: number; readonly allocation: CampaignAllocation },
): Promise<Listing> {
  const escrow = await prepareEscrow(ctx, consent.caller, input);
  const listing = newListing(input, {
    listingId: listingIdFor(ctx.stub.getTxID()),
    kind: campaign === undefined ? 'FIXED' : 'CAMPAIGN',
    sellerPlatform: escrow.seller.platform,
    at: txTime(ctx.stub),
    ...(campaign === undefined ? {} : { campaign }),
  });
  await recordConsent(ctx, consent);
  await putHolding(ctx.stub, escrow.holding);
  await putNewListing(ctx.stub, listing);
  emitEvent(ctx.stub, EventName.listingCreated, listing.toBytes());
  return listing;
}
