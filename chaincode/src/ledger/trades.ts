import type { Context } from 'fabric-contract-api';
import { type Trade, tradeCodec } from '../model/trade';
import { TradeRef, tradeRefCodec } from '../model/trade-ref';
import { indexed } from './indexed';
import { KeyPrefix, type KeyPrefixName, stateKey } from './keys';
import { type PageRequest, type PageResult, pagePartial } from './query';
import { getRecord, putRecord } from './state';

type Stub = Context['stub'];

export function tradeKey(stub: Stub, tradeId: string): string {
  return stateKey(stub, KeyPrefix.trade, tradeId);
}

export async function getTrade(stub: Stub, tradeId: string): Promise<Trade | undefined> {
  return getRecord(stub, tradeKey(stub, tradeId), tradeCodec);
}

/** The trade and its three index entries: by asset, by seller and by buyer. */
export async function putTrade(stub: Stub, trade: Trade): Promise<void> {
  const ref = new TradeRef(trade.tradeId);
  await putRecord(stub, tradeKey(stub, trade.tradeId), trade, tradeCodec);
  await putRecord(
    stub,
    stateKey(stub, KeyPrefix.tradeByAsset, trade.assetId, trade.tradeId),
    ref,
    tradeRefCodec,
  );
  await putRecord(
    stub,
    stateKey(stub, KeyPrefix.tradeByUser, trade.sellerId, trade.tradeId),
    ref,
    tradeRefCodec,
  );
  await putRecord(
    stub,
    stateKey(stub, KeyPrefix.tradeByUser, trade.buyerId, trade.tradeId),
    ref,
    tradeRefCodec,
  );
}

async function tradesPage(
  stub: Stub,
  prefix: KeyPrefixName,
  id: string,
  page: PageRequest,
): Promise<PageResult<Trade>> {
  const refs = await pagePartial(stub, prefix, [id], page, tradeRefCodec);
  const trades = await Promise.all(
    refs.records.map(async (ref) => indexed(await getTrade(stub, ref.tradeId), tradeKey(stub, ref.tradeId))),
  );
  return { ...refs, records: trades };
}

/** An asset's trades in trade ID order (IDs are hashes: not time order; executedAt gives that). */
export async function tradesOfAsset(
  stub: Stub,
  assetId: string,
  page: PageRequest,
): Promise<PageResult<Trade>> {
  return tradesPage(stub, KeyPrefix.tradeByAsset, assetId, page);
}

/** A user's trades as buyer or seller, in trade ID order. */
export async function tradesOfUser(
  stub: Stub,
  userId: string,
  page: PageRequest,
): Promise<PageResult<Trade>> {
  return tradesPage(stub, KeyPrefix.tradeByUser, userId, page);
}
