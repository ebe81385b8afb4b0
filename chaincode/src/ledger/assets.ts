import { KeyPrefix } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { type Asset, assetCodec } from '../model/asset';
import { type Holding, holdingCodec } from '../model/holding';
import { putIndexEntry } from './index-entries';
import { indexed } from './indexed';
import { stateKey } from './keys';
import { type PageRequest, type PageResult, pageIndex, pagePartial, scanIndex } from './query';
import { deleteRecord, getRecord, putRecord } from './state';

type Stub = Context['stub'];

export function assetKey(stub: Stub, assetId: string): string {
  return stateKey(stub, KeyPrefix.asset, assetId);
}

export function holdingKey(stub: Stub, assetId: string, userId: string): string {
  return stateKey(stub, KeyPrefix.holding, assetId, userId);
}

export async function getAsset(stub: Stub, assetId: string): Promise<Asset | undefined> {
  return getRecord(stub, assetKey(stub, assetId), assetCodec);
}

/** A new asset and its platform index entry. */
export async function putNewAsset(stub: Stub, asset: Asset): Promise<void> {
  await putRecord(stub, assetKey(stub, asset.assetId), asset, assetCodec);
  await putIndexEntry(stub, stateKey(stub, KeyPrefix.assetByPlatform, asset.platform, asset.assetId));
}

export async function getHolding(stub: Stub, assetId: string, userId: string): Promise<Holding | undefined> {
  return getRecord(stub, holdingKey(stub, assetId, userId), holdingCodec);
}

export async function putHolding(stub: Stub, holding: Holding): Promise<void> {
  await putRecord(stub, holdingKey(stub, holding.assetId, holding.userId), holding, holdingCodec);
}

/** A holding the user did not have before, with its portfolio index entry. */
export async function putNewHolding(stub: Stub, holding: Holding): Promise<void> {
  await putHolding(stub, holding);
  await putIndexEntry(stub, stateKey(stub, KeyPrefix.holdingByUser, holding.userId, holding.assetId));
}

/** A seller's last unit went: the holding and its portfolio index entry both go. */
export async function deleteHolding(stub: Stub, assetId: string, userId: string): Promise<void> {
  await deleteRecord(stub, holdingKey(stub, assetId, userId));
  await deleteRecord(stub, stateKey(stub, KeyPrefix.holdingByUser, userId, assetId));
}

export async function holdingsPage(
  stub: Stub,
  assetId: string,
  page: PageRequest,
): Promise<PageResult<Holding>> {
  return pagePartial(stub, KeyPrefix.holding, [assetId], page, holdingCodec);
}

/** A user's holdings through the holdingByUser index, in asset ID order. */
export async function holdingsOfUser(stub: Stub, userId: string): Promise<Holding[]> {
  const assetIds = await scanIndex(stub, KeyPrefix.holdingByUser, [userId]);
  return Promise.all(
    assetIds.map(async (assetId) =>
      indexed(await getHolding(stub, assetId, userId), holdingKey(stub, assetId, userId)),
    ),
  );
}

/** A platform's assets through the assetByPlatform index. */
export async function assetsPage(stub: Stub, mspId: string, page: PageRequest): Promise<PageResult<Asset>> {
  const ids = await pageIndex(stub, KeyPrefix.assetByPlatform, [mspId], page);
  const assets = await Promise.all(
    ids.records.map(async (assetId) => indexed(await getAsset(stub, assetId), assetKey(stub, assetId))),
  );
  return { ...ids, records: assets };
}
