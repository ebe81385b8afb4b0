import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../ledger/state';
import { requireFields } from '../rules/guards';
import { requireTradeId } from '../rules/ids';
import { parseStored } from './stored';

/** Value of a tradeByAsset or tradeByUser index entry. */
export class TradeRef {
  readonly tradeId: string;

  constructor(tradeId: string) {
    this.tradeId = tradeId;
  }

  static parse(value: unknown): TradeRef {
    return new TradeRef(requireTradeId(requireFields(value, 'trade index entry', ['tradeId'])['tradeId']));
  }

  toBytes(): Uint8Array {
    return canonicalBytes({ tradeId: this.tradeId });
  }
}

export const tradeRefCodec: Codec<TradeRef> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => TradeRef.parse(value)),
  toBytes: (value) => value.toBytes(),
};
