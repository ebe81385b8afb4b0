import { Object as DataType, Property } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { canonicalBytes, type JsonValue } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields, requireInstant, requireOneOf, requireWholeNumber } from '../values/guards';
import {
  requireAssetId,
  requireMspId,
  requireTradeId,
  requireTradeSource,
  requireUserId,
} from '../values/ids';
import { requirePrice } from '../values/prices';
import { requireUnits } from '../values/units';
import { parseStored } from '../values/codec';

/** What the trade executed against: a FIXED listing, a settled CAMPAIGN, or a private OFFER. */
export const TRADE_SOURCES = ['FIXED', 'CAMPAIGN', 'OFFER'] as const;
export type TradeSource = (typeof TRADE_SOURCES)[number];

export interface TradeFields {
  readonly tradeId: string;
  readonly via: TradeSource;
  readonly listingId: string;
  readonly assetId: string;
  readonly sellerId: string;
  readonly buyerId: string;
  readonly sellerPlatform: string;
  readonly buyerPlatform: string;
  readonly units: number;
  readonly pricePerUnit: number;
  readonly amount: number;
  readonly executedAt: string;
}

/** One executed trade (R5): written once, never changed. */
@DataType()
export class Trade {
  @Property('tradeId', 'string')
  readonly tradeId: string;

  /** FIXED | CAMPAIGN | OFFER */
  @Property('via', 'string')
  readonly via: TradeSource;

  /** The listing (L…) or, for via OFFER, the offer (O…) the trade executed against. */
  @Property('listingId', 'string')
  readonly listingId: string;

  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('sellerId', 'string')
  readonly sellerId: string;

  @Property('buyerId', 'string')
  readonly buyerId: string;

  @Property('sellerPlatform', 'string')
  readonly sellerPlatform: string;

  @Property('buyerPlatform', 'string')
  readonly buyerPlatform: string;

  @Property('units', 'number')
  readonly units: number;

  /** Whole minor units (fen). */
  @Property('pricePerUnit', 'number')
  readonly pricePerUnit: number;

  /** units × pricePerUnit in fen, exact (a safe integer). */
  @Property('amount', 'number')
  readonly amount: number;

  @Property('executedAt', 'string')
  readonly executedAt: string;

  constructor(fields: TradeFields) {
    this.tradeId = fields.tradeId;
    this.via = fields.via;
    this.listingId = fields.listingId;
    this.assetId = fields.assetId;
    this.sellerId = fields.sellerId;
    this.buyerId = fields.buyerId;
    this.sellerPlatform = fields.sellerPlatform;
    this.buyerPlatform = fields.buyerPlatform;
    this.units = fields.units;
    this.pricePerUnit = fields.pricePerUnit;
    this.amount = fields.amount;
    this.executedAt = fields.executedAt;
  }

  static parse(value: unknown): Trade {
    const fields = requireFields(value, 'trade', [
      'tradeId',
      'via',
      'listingId',
      'assetId',
      'sellerId',
      'buyerId',
      'sellerPlatform',
      'buyerPlatform',
      'units',
      'pricePerUnit',
      'amount',
      'executedAt',
    ]);
    const units = requireUnits(fields['units'], 'units');
    const pricePerUnit = requirePrice(fields['pricePerUnit'], 'pricePerUnit');
    const amount = requireWholeNumber(fields['amount'], 'amount', 1, Number.MAX_SAFE_INTEGER);
    if (BigInt(amount) !== BigInt(units) * BigInt(pricePerUnit)) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'amount is not units × pricePerUnit');
    }
    return new Trade({
      tradeId: requireTradeId(fields['tradeId']),
      via: requireOneOf(fields['via'], 'via', TRADE_SOURCES),
      listingId: requireTradeSource(fields['listingId'], 'listingId'),
      assetId: requireAssetId(fields['assetId']),
      sellerId: requireUserId(fields['sellerId'], 'sellerId'),
      buyerId: requireUserId(fields['buyerId'], 'buyerId'),
      sellerPlatform: requireMspId(fields['sellerPlatform'], 'sellerPlatform'),
      buyerPlatform: requireMspId(fields['buyerPlatform'], 'buyerPlatform'),
      units,
      pricePerUnit,
      amount,
      executedAt: requireInstant(fields['executedAt'], 'executedAt'),
    });
  }

  toJson(): Record<string, JsonValue> {
    return {
      tradeId: this.tradeId,
      via: this.via,
      listingId: this.listingId,
      assetId: this.assetId,
      sellerId: this.sellerId,
      buyerId: this.buyerId,
      sellerPlatform: this.sellerPlatform,
      buyerPlatform: this.buyerPlatform,
      units: this.units,
      pricePerUnit: this.pricePerUnit,
      amount: this.amount,
      executedAt: this.executedAt,
    };
  }

  toBytes(): Uint8Array {
    return canonicalBytes(this.toJson());
  }
}

export const tradeCodec: Codec<Trade> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => Trade.parse(value)),
  toBytes: (value) => value.toBytes(),
};
