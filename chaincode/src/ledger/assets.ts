import type { Context } from 'fabric-contract-api';
import { type Asset, assetCodec } from '../model/asset';
import { AssetRef, assetRefCodec } from '../model/asset-ref';
import { type Holding, holdingCodec } from '../model/holding';
import { HoldingRef, holdingRefCodec } from '../model/holding-ref';
import { indexed } from './indexed';
import { KeyPrefix, stateKey } from './keys';
import { type PageRequest, type PageResult, pagePartial, scanPartial } from './query';
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
  const index = stateKey(stub, KeyPrefix.assetByPlatform, asset.platform, asset.assetId);
  await putRecord(stub, index, new AssetRef(asset.assetId), assetRefCodec);
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
  const index = stateKey(stub, KeyPrefix.holdingByUser, holding.userId, holding.assetId);
  await putRecord(stub, index, new HoldingRef(holding.assetId, holding.userId), holdingRefCodec);
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
  const refs = await scanPartial(stub, KeyPrefix.holdingByUser, [userId], holdingRefCodec);
  return Promise.all(
    refs.map(async (ref) =>
      indexed(await getHolding(stub, ref.assetId, ref.userId), holdingKey(stub, ref.assetId, ref.userId)),
    ),
  );
}

/** A platform's assets through the assetByPlatform index. */
export async function assetsPage(stub: Stub, mspId: string, page: PageRequest): Promise<PageResult<Asset>> {
  const refs = await pagePartial(stub, KeyPrefix.assetByPlatform, [mspId], page, assetRefCodec);
  const assets = await Promise.all(
    refs.records.map(async (ref) => indexed(await getAsset(stub, ref.assetId), assetKey(stub, ref.assetId))),
  );
  return { ...refs, records: assets };
}
