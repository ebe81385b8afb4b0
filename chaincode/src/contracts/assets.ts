import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import {
  assetsPage,
  deleteHolding,
  deletePendingEntry,
  getAsset,
  holdingsPage,
  pendingHoldingsPage,
  putAsset,
  putHolding,
  putNewAsset,
  putNewHolding,
  putPendingHolding,
  requireAsset,
} from '../ledger/assets';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { txTime } from '../ledger/state';
import { getUser } from '../ledger/users';
import type { Asset } from '../model/asset';
import type { Holding } from '../model/holding';
import { AssetPage, HoldingPage } from '../model/page';
import {
  assetRegisteredEvent,
  newAssetRecords,
  parseAssetInput,
  requireActiveHolders,
} from '../rules/assets';
import { assetIdFor } from '@crowdledger/protocol';
import { requireAssetId, requireMspId, requireUserId } from '../values/ids';
import { requirePlatform, requirePublicReader } from '../rules/identity';
import { MAX_CAP_TABLE_PAGE_SIZE, requirePageRequest } from '../values/paging';
import { capTablePage } from '../ledger/cap-table';
import { CapTablePage } from '../model/cap-table';
import {
  acceptedHolding,
  assetAfterDecline,
  holdingAcceptedEvent,
  holdingDeclinedEvent,
} from '../rules/pending-holdings';
import { preparePendingDecision } from '../steps/holdings';
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
    const holders = requireActiveHolders(input.holders, users);
    const { asset, holdings } = newAssetRecords({ input, assetId, mspId, holders, at: txTime(ctx.stub) });
    await putNewAsset(ctx.stub, asset);
    for (const { holding, platform } of holdings) {
      await (holding.isPending()
        ? putPendingHolding(ctx.stub, holding, platform)
        : putNewHolding(ctx.stub, holding));
    }
    emitEvent(ctx.stub, EventName.assetRegistered, assetRegisteredEvent(asset, holdings));
    return asset;
  }

  /**
   * R13: the holder's own platform accepts a holding another platform
   * granted its user. The holding becomes DUE a certificate, like any other.
   */
  @Transaction()
  @Returns('Holding')
  async AcceptHolding(ctx: Context, assetId: string, userId: string): Promise<Holding> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const ref = { assetId: requireAssetId(assetId), userId: requireUserId(userId) };
    const { holding, parties } = await preparePendingDecision(ctx, caller, ref, 'accept');
    const accepted = acceptedHolding(holding);
    await putHolding(ctx.stub, accepted);
    await deletePendingEntry(ctx.stub, parties.platform, ref);
    emitEvent(ctx.stub, EventName.holdingAccepted, holdingAcceptedEvent(accepted, parties));
    return accepted;
  }

  /**
   * R13: the holder's own platform refuses a holding granted to its user.
   * The units leave the asset, whose total shrinks by them (R2 still holds);
   * returns the asset after.
   */
  @Transaction()
  @Returns('Asset')
  async DeclineHolding(ctx: Context, assetId: string, userId: string): Promise<Asset> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const ref = { assetId: requireAssetId(assetId), userId: requireUserId(userId) };
    const { asset, holding, parties } = await preparePendingDecision(ctx, caller, ref, 'decline');
    const after = assetAfterDecline(asset, holding);
    await putAsset(ctx.stub, after);
    await deleteHolding(ctx.stub, ref.assetId, ref.userId);
    await deletePendingEntry(ctx.stub, parties.platform, ref);
    emitEvent(ctx.stub, EventName.holdingDeclined, holdingDeclinedEvent(holding, after, parties));
    return after;
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

  /**
   * The cap table with each holder's certificate record, one page at a time
   * (up to 1,000), in holder ID order: the records come in the same page,
   * read by a range scan beside the holdings, not one read per holder.
   */
  @Transaction(false)
  @Returns('CapTablePage')
  async CapTable(ctx: Context, assetId: string, pageSize: string, bookmark: string): Promise<CapTablePage> {
    requirePublicReader(await currentCaller(ctx));
    const asset = await requireAsset(ctx, requireAssetId(assetId));
    const request = requirePageRequest(pageSize, bookmark, MAX_CAP_TABLE_PAGE_SIZE);
    const page = await capTablePage(ctx.stub, asset.assetId, request);
    return new CapTablePage(page.records, page.bookmark, page.fetched);
  }

  /** Holdings granted to a platform's users that it has not accepted or declined yet, one page at a time. */
  @Transaction(false)
  @Returns('HoldingPage')
  async PendingHoldings(
    ctx: Context,
    mspId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<HoldingPage> {
    requirePublicReader(await currentCaller(ctx));
    const platform = requireMspId(mspId);
    const page = await pendingHoldingsPage(ctx.stub, platform, requirePageRequest(pageSize, bookmark));
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
