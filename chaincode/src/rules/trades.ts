import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import type { Listing } from '../model/listing';
import type { Offer } from '../model/offer';
import { type TradeSource } from '@crowdledger/protocol';
import { Trade } from '../model/trade';
import type { HoldingChanges } from '../model/holding-changes';
import type { ExecutedTrade } from '../model/trade-result';
import { requireSafeAmount } from '../values/prices';

/** Everything a trade record says, but its amount, which is computed. */
export interface TradeTerms {
  readonly tradeId: string;
  readonly via: TradeSource;
  readonly listingId: string;
  readonly assetId: string;
  readonly sellerId: string;
  readonly sellerPlatform: string;
  readonly buyerId: string;
  readonly buyerPlatform: string;
  readonly units: number;
  readonly pricePerUnit: number;
  readonly at: Date;
}

/** R5: asset, buyer, seller, units, price and the exact amount in fen. */
export function newTrade(terms: TradeTerms): Trade {
  const { at, ...fields } = terms;
  return new Trade({
    ...fields,
    amount: requireSafeAmount(terms.units, terms.pricePerUnit, 'trade'),
    executedAt: at.toISOString(),
  });
}

/** What the trade executed against, as its event shows it. */
/** The trade with what it did to certificates (R6). */
export function executedTrade(trade: Trade, changes: HoldingChanges): ExecutedTrade {
  return {
    trade,
    buyerCertificateDue: changes.credits.some((credit) => credit.isNew),
    sellerCertificateRevoked: changes.revoked !== undefined,
  };
}

export type TradeContext = { readonly listing: Listing } | { readonly offer: Offer };

/**
 * The TradeExecuted event: the trade, what it did to certificates (R6), and
 * the listing or offer after it, so a platform's listener needs no query.
 * {trade, buyerCertificateDue, sellerCertificateRevoked, listing | offer}.
 */
export function tradeExecutedEvent(executed: ExecutedTrade, context: TradeContext): Uint8Array {
  const after: Record<string, JsonValue> =
    'listing' in context ? { listing: context.listing.toJson() } : { offer: context.offer.toJson() };
  return canonicalBytes({
    trade: executed.trade.toJson(),
    buyerCertificateDue: executed.buyerCertificateDue,
    sellerCertificateRevoked: executed.sellerCertificateRevoked,
    ...after,
  });
}
