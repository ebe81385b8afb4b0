import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { getPurchase, putListing, putPurchase, requireListing } from '../ledger/listings';
import { txTime } from '../ledger/state';
import {
  getTrade,
  putTrade,
  tradesInTime,
  tradesOfAsset,
  tradesOfPlatform,
  tradesOfUser,
} from '../ledger/trades';
import type { CheckResult } from '../model/check-result';
import { TradePage } from '../model/page';
import type { Trade } from '../model/trade';
import { TradeResult } from '../model/trade-result';
import type { User } from '../model/user';
import { tradeIdFor } from '@crowdledger/protocol';
import { requireAssetId, requireListingId, requireMspId, requireTradeId, requireUserId } from '../values/ids';
import { requireSignedTerms } from '../rules/consent';
import { requirePublicReader } from '../rules/identity';
import { type PurchasePlan, planPurchase, requireKind } from '../rules/listings';
import { requirePageRequest } from '../values/paging';
import { requireTimeRange } from '../values/time-range';
import { newTrade, tradeExecutedEvent, executedTrade } from '../rules/trades';
import { requireUnits, requireUnitsText } from '../values/units';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import { checkOnly, passedSentence } from '../rules/checks';
import { prepareTransfer } from '../steps/holdings';
import { type HoldingChanges } from '../model/holding-changes';
import { recordConsent, requireActingFor, requireConsent, requireKey } from '../steps/consent';
import { requireAsset, writeHoldingChanges } from '../ledger/assets';
import { requireUser } from '../ledger/users';

/**
 * Trades (R5, R6): a buyer on any platform buys from an open listing, with
 * the buyer's signed request and signature as the arguments (R7).
 *
 * Keys one Buy writes (MVCC): the buyer's (consent, buyer, requestId)
 * record, the listing (and, when it sells out, its openListing entry), the
 * (purchase, listing, buyer) record, the seller's holding (or its delete and
 * its holdingByUser entry, with the seller's certificate record), the
 * buyer's holding (and holdingByUser entry when new), the trade and its
 * tradeByAsset, two tradeByUser, one tradeAt and one or two platformTradeAt
 * entries (all keyed by the new trade's ID). It reads the buyer's key
 * record, so a key registered meanwhile invalidates it. No counter is
 * shared across listings. Two buyers racing for one listing both read and
 * write its record: Fabric commits the first, and the second fails
 * validation with MVCC_READ_CONFLICT (the client retries, and then gets
 * INSUFFICIENT_UNITS or LISTING_CLOSED if the units are gone). Purchases
 * from two listings of the same seller and asset meet on the seller's
 * holding in the same way; purchases of different sellers or assets share
 * no key.
 */
@Info({ title: 'trades', description: 'Buying from listings, pre-trade checks and the trade register' })
export class TradesContract extends CrowdLedgerContract {
  constructor() {
    super('trades');
  }

  /**
   * request: the buyer's signed trades:Buy {listingId, units,
   * pricePerUnit}; signature: ES256 r‖s, base64url. By the buyer's
   * platform. The signed price must be the listing's.
   */
  @Transaction()
  @Returns('TradeResult')
  async Buy(ctx: Context, request: string, signature: string): Promise<TradeResult> {
    const consent = await requireConsent(ctx, 'trades:Buy', request, signature);
    const { listingId, units, pricePerUnit } = consent.params;
    const prepared = await prepareBuy(ctx, {
      buyer: consent.user,
      listingId: requireListingId(listingId, 'params.listingId'),
      units: requireUnits(units, 'params.units'),
    });
    const { trade } = prepared;
    const price = { signed: pricePerUnit, actual: trade.pricePerUnit };
    requireSignedTerms(consent.request, { pricePerUnit: price }, `listing ${trade.listingId}`);
    await recordConsent(ctx, consent);
    await putListing(ctx.stub, prepared.plan.listing);
    await putPurchase(ctx.stub, prepared.plan.purchase);
    await writeHoldingChanges(ctx, prepared.changes);
    await putTrade(ctx.stub, trade);
    const executed = executedTrade(trade, prepared.changes);
    emitEvent(
      ctx.stub,
      EventName.tradeExecuted,
      tradeExecutedEvent(executed, { listing: prepared.plan.listing }),
    );
    return new TradeResult(executed);
  }

  /**
   * Whether Buy would succeed now: every check Buy makes, and that the
   * buyer has a key, without a signed request (see the result's sentence).
   * units: digits, e.g. "10".
   */
  @Transaction(false)
  @Returns('CheckResult')
  async CanBuy(ctx: Context, listingId: string, buyerId: string, units: string): Promise<CheckResult> {
    return checkOnly(async () => {
      const buyer = await requireActingFor(ctx, requireUserId(buyerId, 'buyerId'), 'buy');
      await prepareBuy(ctx, {
        buyer,
        listingId: requireListingId(listingId),
        units: requireUnitsText(units, 'units'),
      });
      await requireKey(ctx, buyer.userId);
    }, passedSentence('trades:Buy'));
  }

  @Transaction(false)
  @Returns('Trade')
  async Get(ctx: Context, tradeId: string): Promise<Trade> {
    requirePublicReader(await currentCaller(ctx));
    const id = requireTradeId(tradeId);
    const trade = await getTrade(ctx.stub, id);
    if (trade === undefined) {
      throw new ChaincodeError('NOT_FOUND', `no trade ${id} exists`);
    }
    return trade;
  }

  /** An asset's trades, one page at a time, in trade ID order (R14). */
  @Transaction(false)
  @Returns('TradePage')
  async ByAsset(ctx: Context, assetId: string, pageSize: string, bookmark: string): Promise<TradePage> {
    requirePublicReader(await currentCaller(ctx));
    const asset = await requireAsset(ctx, requireAssetId(assetId));
    const page = await tradesOfAsset(ctx.stub, asset.assetId, requirePageRequest(pageSize, bookmark));
    return new TradePage(page.records, page.bookmark, page.fetched);
  }

  /** A user's trades as buyer or seller, one page at a time, in trade ID order (R14). */
  @Transaction(false)
  @Returns('TradePage')
  async ByUser(ctx: Context, userId: string, pageSize: string, bookmark: string): Promise<TradePage> {
    requirePublicReader(await currentCaller(ctx));
    const user = await requireUser(ctx, requireUserId(userId));
    const page = await tradesOfUser(ctx.stub, user.userId, requirePageRequest(pageSize, bookmark));
    return new TradePage(page.records, page.bookmark, page.fetched);
  }

  /**
   * Trades in which a platform's users sold or bought, in time order, one
   * page at a time (R14). interval: ISO-8601 `from/to`, from included, to
   * not, either side empty for an open end ("" for all time). A platform
   * with no trades, or unknown to the channel, has an empty register.
   */
  @Transaction(false)
  @Returns('TradePage')
  async ByPlatform(
    ctx: Context,
    mspId: string,
    interval: string,
    pageSize: string,
    bookmark: string,
  ): Promise<TradePage> {
    requirePublicReader(await currentCaller(ctx));
    const platform = requireMspId(mspId);
    const range = requireTimeRange(interval);
    const page = await tradesOfPlatform(ctx.stub, platform, range, requirePageRequest(pageSize, bookmark));
    return new TradePage(page.records, page.bookmark, page.fetched);
  }

  /** Every trade executed within the interval (as in ByPlatform), in time order, one page at a time (R14). */
  @Transaction(false)
  @Returns('TradePage')
  async ByTime(ctx: Context, interval: string, pageSize: string, bookmark: string): Promise<TradePage> {
    requirePublicReader(await currentCaller(ctx));
    const range = requireTimeRange(interval);
    const page = await tradesInTime(ctx.stub, range, requirePageRequest(pageSize, bookmark));
    return new TradePage(page.records, page.bookmark, page.fetched);
  }
}

interface BuyArguments {
  readonly buyer: User;
  readonly listingId: string;
  readonly units: number;
}

interface PreparedBuy {
  readonly plan: PurchasePlan;
  readonly changes: HoldingChanges;
  readonly trade: Trade;
}

/** Every read and check of Buy once the buyer is known, and the records it would write; writes nothing. */
async function prepareBuy(ctx: Context, args: BuyArguments): Promise<PreparedBuy> {
  const { buyer, listingId, units } = args;
  const buyerId = buyer.userId;
  const listing = requireKind(await requireListing(ctx, listingId), 'FIXED');
  const at = txTime(ctx.stub);
  const plan = planPurchase(listing, await getPurchase(ctx.stub, listingId, buyerId), { buyerId, units }, at);
  const { assetId, sellerId, sellerPlatform, pricePerUnit } = listing;
  const changes = await prepareTransfer(ctx, { assetId, sellerId, buyerId, units, at });
  const trade = newTrade({
    tradeId: tradeIdFor(ctx.stub.getTxID()),
    via: 'FIXED',
    listingId,
    assetId,
    sellerId,
    sellerPlatform,
    buyerId,
    buyerPlatform: buyer.platform,
    units,
    pricePerUnit,
    at,
  });
  return { plan, changes, trade };
}
