import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { putHolding, writeHoldingChanges } from '../ledger/assets';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { putOffer, requireOffer } from '../ledger/offers';
import { txTime } from '../ledger/state';
import { putTrade } from '../ledger/trades';
import type { Offer } from '../model/offer';
import { OfferResult } from '../model/offer-result';
import { TradeResult } from '../model/trade-result';
import { offerIdFor, tradeIdFor } from '@crowdledger/protocol';
import { requireOfferId } from '../values/ids';
import { requireOwnPlatform, requirePlatform, requirePublicReader, requireWriter } from '../rules/identity';
import { acceptedOffer, cancelledOffer, expiredOffer, newOffer, parseOfferInput } from '../rules/offers';
import { newTrade, tradeExecutedEvent, executedTrade } from '../rules/trades';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import { prepareEscrow, prepareRelease, prepareTransfer } from '../steps/holdings';
import { passKeyGate, readTransactionKey } from '../steps/key-gate';
import { requireUser } from '../ledger/users';

/**
 * Private offers: a seller's escrowed units offered to one named buyer, who
 * may be on another platform. Each side's key (transient field `key`) is
 * checked against its own platform's collection: the seller's on Create and
 * Cancel, the buyer's on Accept.
 */
@Info({ title: 'offers', description: 'Private offers from one seller to one buyer' })
export class OffersContract extends CrowdLedgerContract {
  constructor() {
    super('offers');
  }

  /** offerJson: {assetId, sellerId, buyerId, units, pricePerUnit, expiresAt}. By the seller's platform. */
  @Transaction()
  @Returns('OfferResult')
  async Create(ctx: Context, offerJson: string): Promise<OfferResult> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const at = txTime(ctx.stub);
    const input = parseOfferInput(offerJson, at);
    const escrow = await prepareEscrow(ctx, caller, input);
    const buyer = await requireUser(ctx, input.buyerId);
    const offer = newOffer(input, {
      offerId: offerIdFor(ctx.stub.getTxID()),
      sellerPlatform: escrow.seller.platform,
      buyerPlatform: buyer.platform,
      at,
    });
    const refusal = await passKeyGate(ctx, escrow.seller, readTransactionKey(ctx));
    if (refusal !== undefined) {
      return OfferResult.refused(refusal);
    }
    await putHolding(ctx.stub, escrow.holding);
    await putOffer(ctx.stub, offer);
    emitEvent(ctx.stub, EventName.offerCreated, offer.toBytes());
    return OfferResult.ok(offer);
  }

  /**
   * The buyer's platform takes the whole offer with the buyer's key. Writes
   * the offer, both holdings (as trades:Buy does) and the trade with its
   * three index entries; the event is TradeExecuted with the offer.
   */
  @Transaction()
  @Returns('TradeResult')
  async Accept(ctx: Context, offerId: string): Promise<TradeResult> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const offer = await requireOffer(ctx, requireOfferId(offerId));
    const buyer = await requireUser(ctx, offer.buyerId);
    requireOwnPlatform(caller, buyer.platform, `accept offers made to ${buyer.userId}`);
    const at = txTime(ctx.stub);
    const accepted = acceptedOffer(offer, at);
    const { assetId, sellerId, sellerPlatform, buyerId, buyerPlatform, units, pricePerUnit } = offer;
    const changes = await prepareTransfer(ctx, { assetId, sellerId, buyerId, units, at });
    const tradeId = tradeIdFor(ctx.stub.getTxID());
    const terms = { assetId, sellerId, sellerPlatform, buyerId, buyerPlatform, units, pricePerUnit, at };
    const trade = newTrade({ ...terms, tradeId, via: 'OFFER', listingId: offer.offerId });
    const refusal = await passKeyGate(ctx, buyer, readTransactionKey(ctx));
    if (refusal !== undefined) {
      return TradeResult.refused(refusal);
    }
    await putOffer(ctx.stub, accepted);
    await writeHoldingChanges(ctx, changes);
    await putTrade(ctx.stub, trade);
    const executed = executedTrade(trade, changes);
    emitEvent(ctx.stub, EventName.tradeExecuted, tradeExecutedEvent(executed, { offer: accepted }));
    return TradeResult.ok(executed);
  }

  /** The seller's platform withdraws an open offer, expired or not, with the seller's key. */
  @Transaction()
  @Returns('OfferResult')
  async Cancel(ctx: Context, offerId: string): Promise<OfferResult> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const offer = await requireOffer(ctx, requireOfferId(offerId));
    const seller = await requireUser(ctx, offer.sellerId);
    requireOwnPlatform(caller, seller.platform, `cancel offers of ${seller.userId}`);
    const cancelled = cancelledOffer(offer);
    const holding = await prepareRelease(ctx, offer);
    const refusal = await passKeyGate(ctx, seller, readTransactionKey(ctx));
    if (refusal !== undefined) {
      return OfferResult.refused(refusal);
    }
    await putHolding(ctx.stub, holding);
    await putOffer(ctx.stub, cancelled);
    emitEvent(ctx.stub, EventName.offerCancelled, cancelled.toBytes());
    return OfferResult.ok(cancelled);
  }

  /** After expiresAt any platform or the registry admin releases an open offer's escrow. No key. */
  @Transaction()
  @Returns('Offer')
  async Expire(ctx: Context, offerId: string): Promise<Offer> {
    requireWriter(await currentCaller(ctx));
    const offer = await requireOffer(ctx, requireOfferId(offerId));
    const expired = expiredOffer(offer, txTime(ctx.stub));
    const holding = await prepareRelease(ctx, offer);
    await putHolding(ctx.stub, holding);
    await putOffer(ctx.stub, expired);
    emitEvent(ctx.stub, EventName.offerExpired, expired.toBytes());
    return expired;
  }

  @Transaction(false)
  @Returns('Offer')
  async Get(ctx: Context, offerId: string): Promise<Offer> {
    requirePublicReader(await currentCaller(ctx));
    return requireOffer(ctx, requireOfferId(offerId));
  }
}
