import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import {
  assetsPage,
  getAsset,
  holdingsPage,
  putNewAsset,
  putNewHolding,
  requireAsset,
} from '../ledger/assets';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { txTime } from '../ledger/state';
import { getUser } from '../ledger/users';
import type { Asset } from '../model/asset';
import { AssetPage, HoldingPage } from '../model/page';
import {
  assetRegisteredEvent,
  newAssetRecords,
  parseAssetInput,
  requireActiveHolders,
} from '../rules/assets';
import { assetIdFor } from '@crowdledger/protocol';
import { requireAssetId, requireMspId } from '../values/ids';
import { requirePlatform, requirePublicReader } from '../rules/identity';
import { requirePageRequest } from '../values/paging';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';

/** Assets and their initial holders (R2), and the public register reads (R14). */
@Info({ title: 'assets', description: 'Asset registration, cap tables and platform listings' })
export class AssetsContract extends CrowdLedgerContract {
  constructor() {
    super('assets');
  }

  /** assetJson: {assetRef, attributes, rights, totalUnits, holders: [{userId, units}]}. */
  @Transaction()
  @Returns('Asset')
  async Register(ctx: Context, assetJson: string): Promise<Asset> {
    const mspId = requirePlatform(await currentCaller(ctx));
    const input = parseAssetInput(assetJson);
    const assetId = assetIdFor(mspId, input.assetRef);
    if ((await getAsset(ctx.stub, assetId)) !== undefined) {
      throw new ChaincodeError(
        'ASSET_EXISTS',
        `${mspId} already registered ${input.assetRef} as asset ${assetId}`,
      );
    }
    const users = await Promise.all(input.holders.map((holder) => getUser(ctx.stub, holder.userId)));
    requireActiveHolders(input.holders, users);
    const { asset, holdings } = newAssetRecords({ input, assetId, mspId, at: txTime(ctx.stub) });
    await putNewAsset(ctx.stub, asset);
    for (const holding of holdings) {
      await putNewHolding(ctx.stub, holding);
    }
    emitEvent(ctx.stub, EventName.assetRegistered, assetRegisteredEvent(asset, holdings));
    return asset;
  }

  @Transaction(false)
  @Returns('Asset')
  async Get(ctx: Context, assetId: string): Promise<Asset> {
    requirePublicReader(await currentCaller(ctx));
    return requireAsset(ctx, requireAssetId(assetId));
  }

  /** The cap table, one page at a time, in holder ID order. */
  @Transaction(false)
  @Returns('HoldingPage')
  async Holders(ctx: Context, assetId: string, pageSize: string, bookmark: string): Promise<HoldingPage> {
    requirePublicReader(await currentCaller(ctx));
    const asset = await requireAsset(ctx, requireAssetId(assetId));
    const page = await holdingsPage(ctx.stub, asset.assetId, requirePageRequest(pageSize, bookmark));
    return new HoldingPage(page.records, page.bookmark, page.fetched);
  }

  /** A platform's assets, one page at a time, in asset ID order. */
  @Transaction(false)
  @Returns('AssetPage')
  async ListByPlatform(ctx: Context, mspId: string, pageSize: string, bookmark: string): Promise<AssetPage> {
    requirePublicReader(await currentCaller(ctx));
    const platform = requireMspId(mspId);
    const page = await assetsPage(ctx.stub, platform, requirePageRequest(pageSize, bookmark));
    return new AssetPage(page.records, page.bookmark, page.fetched);
  }
}
