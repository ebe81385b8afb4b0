import { assetIdFor, EventName, Transient } from '@crowdledger/protocol';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { getAsset, putAsset, putNewAsset, putNewHolding, requireAsset } from '../ledger/assets';
import { getReferenceSecret, putReferenceSecret } from '../ledger/config';
import { emitEvent } from '../ledger/events';
import { importBatchesOf, putImportBatch } from '../ledger/imports';
import { requireTransientBytes, txTime } from '../ledger/state';
import { personalDataOrNone, registerImportedUser } from '../steps/imports';
import { getHolding } from '../ledger/assets';
import { getUser } from '../ledger/users';
import type { Asset } from '../model/asset';
import { ImportBatch } from '../model/import-batch';
import { ImportBatchResult, ImportRejectionView } from '../model/import-result';
import { parseAssetTermsInput } from '../rules/assets';
import { requireOwnPlatform, requirePlatform } from '../rules/identity';
import {
  type BatchOutcome,
  decideRow,
  holdersImportedEvent,
  type ImportRow,
  importedHolding,
  importingAsset,
  parseImportRows,
  requireImportComplete,
  requireImporting,
  rowUserId,
} from '../rules/imports';
import { checkReferenceSecret } from '../rules/users';
import { currentCaller } from '../steps/caller';
import { ChaincodeError } from '../values/errors';
import { requireUtf8 } from '../values/guards';
import { requireAssetId, requireReferenceSecret } from '../values/ids';
import { CrowdLedgerContract } from './base';

/**
 * Register imports (the CSRC's "asset mapping"): a platform brings the
 * holder register it kept elsewhere onto the ledger, up to 1,000 holders a
 * transaction (rules/imports.ts).
 */
@Info({ title: 'imports', description: "Bringing a platform's existing holder register onto the ledger" })
export class ImportsContract extends CrowdLedgerContract {
  constructor() {
    super('imports');
  }

  /** assetJson: {assetRef, attributes, rights, totalUnits}; the asset starts IMPORTING, holding nothing. */
  @Transaction()
  @Returns('Asset')
  async Begin(ctx: Context, assetJson: string): Promise<Asset> {
    const mspId = requirePlatform(await currentCaller(ctx));
    const terms = parseAssetTermsInput(assetJson);
    const assetId = assetIdFor(mspId, terms.assetRef);
    const existing = await getAsset(ctx.stub, assetId);
    if (existing !== undefined) {
      throw new ChaincodeError(
        'ASSET_EXISTS',
        `${mspId} already registered ${terms.assetRef} as asset ${assetId} (${existing.status})`,
      );
    }
    const asset = importingAsset(terms, assetId, mspId, txTime(ctx.stub));
    await putNewAsset(ctx.stub, asset);
    emitEvent(ctx.stub, EventName.importStarted, asset.toBytes());
    return asset;
  }

  /**
   * Up to 1,000 holders in the transient `holders` (with `referenceSecret`),
   * so no name, ID number or reference reaches a block (R12). Each is
   * registered as the platform's user where needed and made a holder; one
   * already holding these units is skipped, so a batch sent again writes
   * nothing twice.
   */
  @Transaction()
  @Returns('ImportBatchResult')
  async Add(ctx: Context, assetId: string): Promise<ImportBatchResult> {
    const caller = await currentCaller(ctx);
    const mspId = requirePlatform(caller);
    const asset = requireImporting(await requireAsset(ctx, requireAssetId(assetId)));
    requireOwnPlatform(caller, asset.platform, `import holders of ${asset.assetId}`);
    const { rows, referenceSecret } = readBatch(ctx);
    const at = txTime(ctx.stub);
    const secret = checkReferenceSecret(await getReferenceSecret(ctx.stub, mspId), {
      mspId,
      referenceSecret,
      at,
    });
    if (secret !== undefined) {
      await putReferenceSecret(ctx.stub, secret);
    }
    const outcome = await importRows(ctx, asset, rows, { referenceSecret, at });
    const units = outcome.written.reduce((sum, h) => sum + h.units, 0);
    if (outcome.written.length > 0) {
      const txId = ctx.stub.getTxID();
      const batch = { assetId: asset.assetId, txId, holders: outcome.written.length, units };
      await putImportBatch(ctx.stub, new ImportBatch({ ...batch, importedAt: at.toISOString() }));
    }
    emitEvent(ctx.stub, EventName.holdersImported, holdersImportedEvent(asset, outcome));
    return new ImportBatchResult({
      assetId: asset.assetId,
      written: outcome.written.length,
      units,
      skipped: outcome.skipped,
      rejected: outcome.rejected.map((r) => new ImportRejectionView(r)),
    });
  }

  /** The asset becomes ACTIVE once its imported holdings add up to the declared total (R2). */
  @Transaction()
  @Returns('Asset')
  async Finish(ctx: Context, assetId: string): Promise<Asset> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const asset = requireImporting(await requireAsset(ctx, requireAssetId(assetId)));
    requireOwnPlatform(caller, asset.platform, `finish the import of ${asset.assetId}`);
    requireImportComplete(asset, await importBatchesOf(ctx.stub, asset.assetId));
    const active = asset.withStatus('ACTIVE');
    await putAsset(ctx.stub, active);
    emitEvent(ctx.stub, EventName.importFinished, active.toBytes());
    return active;
  }
}

/** The transient fields of imports:Add, each checked. */
function readBatch(ctx: Context): { rows: ImportRow[]; referenceSecret: string } {
  const field = (name: string): string => requireUtf8(requireTransientBytes(ctx.stub, name), name);
  return {
    rows: parseImportRows(field(Transient.holders)),
    referenceSecret: requireReferenceSecret(field(Transient.referenceSecret), Transient.referenceSecret),
  };
}

/** Decides and writes row by row; one row's refusal writes nothing for it and stops no other. */
async function importRows(
  ctx: Context,
  asset: Asset,
  rows: readonly ImportRow[],
  options: { readonly referenceSecret: string; readonly at: Date },
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { written: [], skipped: [], rejected: [] };
  for (const [index, row] of rows.entries()) {
    const userId = rowUserId(asset.platform, options.referenceSecret, row);
    const user = await getUser(ctx.stub, userId);
    const holding = user === undefined ? undefined : await getHolding(ctx.stub, asset.assetId, userId);
    const personal =
      user === undefined || holding !== undefined ? undefined : await personalDataOrNone(ctx, user);
    const decision = decideRow(row, userId, { user, holding, personal }, asset.assetId);
    if (decision.kind === 'skip') {
      outcome.skipped.push(index);
    } else if (decision.kind === 'reject') {
      outcome.rejected.push({ index, code: decision.code, reason: decision.reason });
    } else {
      if (decision.kind === 'register') {
        await registerImportedUser(ctx, { ...row, mspId: asset.platform, ...options });
      }
      await putNewHolding(ctx.stub, importedHolding(asset.assetId, userId, row.units));
      outcome.written.push({ userId, units: row.units });
    }
  }
  return outcome;
}
