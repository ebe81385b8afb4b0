import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { putHolding, writeHoldingChanges } from '../ledger/assets';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { putOffer, requireOffer } from '../ledger/offers';
import { txTime } from '../ledger/state';
import { putTrade } from '../ledger/trades';
import type { Offer } from '../model/offer';
import type { ConsentParams } from '@crowdledger/protocol';
import { TradeResult } from '../model/trade-result';
import { offerIdFor, tradeIdFor } from '@crowdledger/protocol';
import { requireOfferId } from '../values/ids';
import { requireConsentingUser, requireSignedTerms } from '../rules/consent';
import { requirePublicReader, requireWriter } from '../rules/identity';
import { acceptedOffer, cancelledOffer, expiredOffer, newOffer, parseOfferInput } from '../rules/offers';
import { newTrade, tradeExecutedEvent, executedTrade } from '../rules/trades';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import { prepareEscrow, prepareRelease, prepareTransfer } from '../steps/holdings';
import { recordConsent, requireConsent } from '../steps/consent';
import { requireUser } from '../ledger/users';

/**
 * Private offers: a seller's escrowed units offered to one named buyer, who
 * may be on another platform. Each act carries its user's signed request
 * and signature as the arguments (R7): the seller's on Create and Cancel,
 * the buyer's on Accept, each relayed by that user's own platform.
 */
@Info({ title: 'offers', description: 'Private offers from one seller to one buyer' })
export class OffersContract extends CrowdLedgerContract {
  constructor() {
    super('offers');
  }

  /**
   * request: the seller's signed offers:Create {assetId, buyerId, units,
   * pricePerUnit, expiresAt}; signature: ES256 r‖s, base64url. By the
   * seller's platform.
   */
  @Transaction()
  @Returns('Offer')
  async Create(ctx: Context, request: string, signature: string): Promise<Offer> {
    const consent = await requireConsent(ctx, 'offers:Create', request, signature);
    const at = txTime(ctx.stub);
    const input = parseOfferInput(consent.params, consent.user.userId, at);
    const escrow = await prepareEscrow(ctx, consent.caller, input);
    const buyer = await requireUser(ctx, input.buyerId);
    const offer = newOffer(input, {
      offerId: offerIdFor(ctx.stub.getTxID()),
      sellerPlatform: escrow.seller.platform,
      buyerPlatform: buyer.platform,
      at,
    });
    await recordConsent(ctx, consent);
    await putHolding(ctx.stub, escrow.holding);
    await putOffer(ctx.stub, offer);
    emitEvent(ctx.stub, EventName.offerCreated, offer.toBytes());
    return offer;
  }

  /**
   * The buyer's platform takes the whole offer. request: the buyer's signed
   * offers:Accept {offerId, units, pricePerUnit}, which must be the offer's
   * terms. Writes the offer, both holdings (as trades:Buy does) and the
   * trade with its index entries; the event is TradeExecuted with the offer.
   */
  @Transaction()
  @Returns('TradeResult')
  async Accept(ctx: Context, request: string, signature: string): Promise<TradeResult> {
    const consent = await requireConsent(ctx, 'offers:Accept', request, signature);
    const offer = await requireOffer(ctx, requireOfferId(consent.params.offerId, 'params.offerId'));
    requireConsentingUser(consent.request, offer.buyerId, `offer ${offer.offerId}`);
    requireSignedTerms(consent.request, signedTerms(consent.params, offer), `offer ${offer.offerId}`);
    const at = txTime(ctx.stub);
    const accepted = acceptedOffer(offer, at);
    const { assetId, sellerId, sellerPlatform, buyerId, buyerPlatform, units, pricePerUnit } = offer;
    const changes = await prepareTransfer(ctx, { assetId, sellerId, buyerId, units, at });
    const tradeId = tradeIdFor(ctx.stub.getTxID());
    const terms = { assetId, sellerId, sellerPlatform, buyerId, buyerPlatform, units, pricePerUnit, at };
    const trade = newTrade({ ...terms, tradeId, via: 'OFFER', listingId: offer.offerId });
    await recordConsent(ctx, consent);
    await putOffer(ctx.stub, accepted);
    await writeHoldingChanges(ctx, changes);
    await putTrade(ctx.stub, trade);
    const executed = executedTrade(trade, changes);
    emitEvent(ctx.stub, EventName.tradeExecuted, tradeExecutedEvent(executed, { offer: accepted }));
    return new TradeResult(executed);
  }

  /**
   * The seller's platform withdraws an open offer, expired or not.
   * request: the seller's signed offers:Cancel {offerId}.
   */
  @Transaction()
  @Returns('Offer')
  async Cancel(ctx: Context, request: string, signature: string): Promise<Offer> {
    const consent = await requireConsent(ctx, 'offers:Cancel', request, signature);
    const offer = await requireOffer(ctx, requireOfferId(consent.params.offerId, 'params.offerId'));
    requireConsentingUser(consent.request, offer.sellerId, `offer ${offer.offerId}`);
    const cancelled = cancelledOffer(offer);
    const holding = await prepareRelease(ctx, offer);
    await recordConsent(ctx, consent);
    await putHolding(ctx.stub, holding);
    await putOffer(ctx.stub, cancelled);
    emitEvent(ctx.stub, EventName.offerCancelled, cancelled.toBytes());
    return cancelled;
  }

  /** After expiresAt any platform or the registry admin releases an open offer's escrow. No signature. */
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

/** What the buyer signed against what the offer says. */
function signedTerms(params: ConsentParams<'offers:Accept'>, offer: Offer) {
  return {
    units: { signed: params.units, actual: offer.units },
    pricePerUnit: { signed: params.pricePerUnit, actual: offer.pricePerUnit },
  };
}
