import { TRADE_SOURCES } from '@crowdledger/protocol';
import { Object as DataType } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { requireInstant, requireOneOf, requireWholeNumber } from '../values/guards';
import {
  requireAssetId,
  requireMspId,
  requireTradeId,
  requireTradeSource,
  requireUserId,
} from '../values/ids';
import { requirePrice } from '../values/prices';
import { requireUnits } from '../values/units';
import { count, type FieldsOf, parseFields, record, recordCodec, text } from './record';

/** What the trade executed against: a FIXED listing, a settled CAMPAIGN, or a private OFFER. */

const TRADE = {
  tradeId: text(requireTradeId),
  /** FIXED | CAMPAIGN | OFFER */
  via: text((value, name) => requireOneOf(value, name, TRADE_SOURCES)),
  /** The listing (L…) or, for via OFFER, the offer (O…) the trade executed against. */
  listingId: text(requireTradeSource),
  assetId: text(requireAssetId),
  sellerId: text(requireUserId),
  buyerId: text(requireUserId),
  sellerPlatform: text(requireMspId),
  buyerPlatform: text(requireMspId),
  units: count(requireUnits),
  /** Whole minor units (fen). */
  pricePerUnit: count(requirePrice),
  /** units × pricePerUnit in fen, exact (a safe integer). */
  amount: count((value, name) => requireWholeNumber(value, name, 1, Number.MAX_SAFE_INTEGER)),
  executedAt: text(requireInstant),
};

export type TradeFields = FieldsOf<typeof TRADE>;

/** One executed trade (R5): written once, never changed. */
@DataType()
export class Trade extends record(TRADE) {
  static parse(value: unknown): Trade {
    const fields = parseFields(TRADE, value, 'trade');
    if (BigInt(fields.amount) !== BigInt(fields.units) * BigInt(fields.pricePerUnit)) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'amount is not units × pricePerUnit');
    }
    return new Trade(fields);
  }
}

export const tradeCodec = recordCodec((value) => Trade.parse(value));
