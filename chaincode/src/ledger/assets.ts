import { KeyPrefix } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { type Asset, assetCodec } from '../model/asset';
import { type Holding, holdingCodec } from '../model/holding';
import type { HoldingChanges } from '../model/holding-changes';
import { putIndexEntry } from './index-entries';
import { indexed } from './indexed';
import { stateKey } from './state-keys';
import type { PageRequest } from '../values/paging';
import { type PageResult, pageIndex, pageIndexKeys, pagePartial, scanIndex } from './query';
import { putCertificateRecord } from './certificates';
import { deleteRecord, getRecord, putRecord } from './state';
import { ChaincodeError } from '../values/errors';

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

export async function requireAsset(ctx: Context, assetId: string): Promise<Asset> {
  const asset = await getAsset(ctx.stub, assetId);
  if (asset === undefined) {
    throw new ChaincodeError('ASSET_NOT_FOUND', `no asset ${assetId} is registered`);
  }
  return asset;
}

/** The asset's record again, after a change to it (a declined holding shrinks its total). */
export async function putAsset(stub: Stub, asset: Asset): Promise<void> {
  await putRecord(stub, assetKey(stub, asset.assetId), asset, assetCodec);
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

function pendingKey(stub: Stub, holderPlatform: string, assetId: string, userId: string): string {
  return stateKey(stub, KeyPrefix.pendingHolding, holderPlatform, assetId, userId);
}

/** A new holding waiting for its holder's platform (R13), listed for that platform. */
export async function putPendingHolding(stub: Stub, holding: Holding, holderPlatform: string): Promise<void> {
  await putNewHolding(stub, holding);
  await putIndexEntry(stub, pendingKey(stub, holderPlatform, holding.assetId, holding.userId));
}

/** The holder's platform accepted or declined: the holding leaves its pending list. */
export async function deletePendingEntry(
  stub: Stub,
  holderPlatform: string,
  ref: { readonly assetId: string; readonly userId: string },
): Promise<void> {
  await deleteRecord(stub, pendingKey(stub, holderPlatform, ref.assetId, ref.userId));
}

/** One page of the holdings waiting for a platform's acceptance, in asset and holder ID order. */
export async function pendingHoldingsPage(
  stub: Stub,
  holderPlatform: string,
  page: PageRequest,
): Promise<PageResult<Holding>> {
  const keys = await pageIndexKeys(stub, KeyPrefix.pendingHolding, [holderPlatform], page);
  const holdings = await Promise.all(
    keys.records.map(async ([, assetId = '', userId = '']) =>
      indexed(await getHolding(stub, assetId, userId), holdingKey(stub, assetId, userId)),
    ),
  );
  return { ...keys, records: holdings };
}

/** A seller's last unit went: the holding and its portfolio index entry both go. */
export async function deleteHolding(stub: Stub, assetId: string, userId: string): Promise<void> {
  await deleteRecord(stub, holdingKey(stub, assetId, userId));
  await deleteRecord(stub, stateKey(stub, KeyPrefix.holdingByUser, userId, assetId));
}

/** The seller's holding behind an open listing or offer: it exists while it escrows units. */
export async function escrowingHolding(
  ctx: Context,
  sale: { readonly assetId: string; readonly sellerId: string },
): Promise<Holding> {
  const holding = await getHolding(ctx.stub, sale.assetId, sale.sellerId);
  if (holding === undefined) {
    throw new ChaincodeError(
      'CORRUPT_STATE',
      `units of ${sale.assetId} are escrowed for ${sale.sellerId}, who holds none`,
    );
  }
  return holding;
}

/** Writes what a trade or settlement did to holdings and the seller's certificate record. */
export async function writeHoldingChanges(ctx: Context, changes: HoldingChanges): Promise<void> {
  if (changes.seller === undefined) {
    await deleteHolding(ctx.stub, changes.assetId, changes.sellerId);
  } else {
    await putHolding(ctx.stub, changes.seller);
  }
  if (changes.revoked !== undefined) {
    await putCertificateRecord(ctx.stub, changes.revoked);
  }
  for (const credit of changes.credits) {
    await (credit.isNew ? putNewHolding(ctx.stub, credit.holding) : putHolding(ctx.stub, credit.holding));
  }
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
