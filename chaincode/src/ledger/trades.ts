import { KeyPrefix, type KeyPrefixName, TimeIndex, timeKey, timeKeyRange } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { type Trade, tradeCodec } from '../model/trade';
import type { TimeRange } from '../values/time-range';
import { putIndexEntry } from './index-entries';
import { indexed } from './indexed';
import { stateKey } from './state-keys';
import type { PageRequest } from '../values/paging';
import { type PageResult, pageIndex, pageTimeIndex } from './query';
import { getRecord, putRecord } from './state';

type Stub = Context['stub'];

export function tradeKey(stub: Stub, tradeId: string): string {
  return stateKey(stub, KeyPrefix.trade, tradeId);
}

export async function getTrade(stub: Stub, tradeId: string): Promise<Trade | undefined> {
  return getRecord(stub, tradeKey(stub, tradeId), tradeCodec);
}

/**
 * The trade and its index entries: by asset, by seller and by buyer, in time,
 * and in time per platform (one entry when both sides are on one platform).
 * Every entry's key is the trade's own, so trades never conflict on an index.
 */
export async function putTrade(stub: Stub, trade: Trade): Promise<void> {
  await putTradeByParty(stub, trade);
  await putTradeInTime(stub, trade);
}

async function putTradeByParty(stub: Stub, trade: Trade): Promise<void> {
  const { tradeId } = trade;
  await putRecord(stub, tradeKey(stub, tradeId), trade, tradeCodec);
  await putIndexEntry(stub, stateKey(stub, KeyPrefix.tradeByAsset, trade.assetId, tradeId));
  await putIndexEntry(stub, stateKey(stub, KeyPrefix.tradeByUser, trade.sellerId, tradeId));
  await putIndexEntry(stub, stateKey(stub, KeyPrefix.tradeByUser, trade.buyerId, tradeId));
}

async function putTradeInTime(stub: Stub, trade: Trade): Promise<void> {
  const { executedAt, tradeId } = trade;
  await putIndexEntry(stub, timeKey(TimeIndex.tradeAt, [], executedAt, tradeId));
  for (const platform of new Set([trade.sellerPlatform, trade.buyerPlatform])) {
    await putIndexEntry(stub, timeKey(TimeIndex.platformTradeAt, [platform], executedAt, tradeId));
  }
}

async function tradesOf(stub: Stub, ids: PageResult<string>): Promise<PageResult<Trade>> {
  const trades = await Promise.all(
    ids.records.map(async (tradeId) => indexed(await getTrade(stub, tradeId), tradeKey(stub, tradeId))),
  );
  return { ...ids, records: trades };
}

async function tradesPage(
  stub: Stub,
  prefix: KeyPrefixName,
  id: string,
  page: PageRequest,
): Promise<PageResult<Trade>> {
  return tradesOf(stub, await pageIndex(stub, prefix, [id], page));
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

/** Trades executed in [from, to), in time order (ties in trade ID order). */
export async function tradesInTime(
  stub: Stub,
  range: TimeRange,
  page: PageRequest,
): Promise<PageResult<Trade>> {
  const keys = timeKeyRange(TimeIndex.tradeAt, [], range);
  return tradesOf(stub, await pageTimeIndex(stub, keys, page));
}

/** Trades a platform's users made as seller or buyer, executed in [from, to), in time order. */
export async function tradesOfPlatform(
  stub: Stub,
  mspId: string,
  range: TimeRange,
  page: PageRequest,
): Promise<PageResult<Trade>> {
  const keys = timeKeyRange(TimeIndex.platformTradeAt, [mspId], range);
  return tradesOf(stub, await pageTimeIndex(stub, keys, page));
}
