import { EventName, listingIdFor } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { putHolding } from '../ledger/assets';
import { emitEvent } from '../ledger/events';
import { putNewListing } from '../ledger/listings';
import { txTime } from '../ledger/state';
import type { CallerDescription } from '../model/caller';
import { ListingResult } from '../model/listing-result';
import { type ListingInput, newListing } from '../rules/listings';
import { prepareEscrow } from './holdings';
import { passKeyGate, readTransactionKey } from './key-gate';

/**
 * Creates a fixed-price listing or, with targetUnits, a campaign: escrow,
 * then the seller's key, then the writes. Writes: seller holding, listing,
 * open-listings index entry.
 */
export async function openListing(
  ctx: Context,
  caller: CallerDescription,
  input: ListingInput,
  targetUnits?: number,
): Promise<ListingResult> {
  const escrow = await prepareEscrow(ctx, caller, input);
  const listing = newListing(input, {
    listingId: listingIdFor(ctx.stub.getTxID()),
    kind: targetUnits === undefined ? 'FIXED' : 'CAMPAIGN',
    sellerPlatform: escrow.seller.platform,
    at: txTime(ctx.stub),
    ...(targetUnits === undefined ? {} : { targetUnits }),
  });
  const refusal = await passKeyGate(ctx, escrow.seller, readTransactionKey(ctx));
  if (refusal !== undefined) {
    return ListingResult.refused(refusal);
  }
  await putHolding(ctx.stub, escrow.holding);
  await putNewListing(ctx.stub, listing);
  emitEvent(ctx.stub, EventName.listingCreated, listing.toBytes());
  return ListingResult.ok(listing);
}
