import type { Context } from 'fabric-contract-api';
import { escrowingHolding, getHolding, requireAsset } from '../ledger/assets';
import { getCertificateRecord } from '../ledger/certificates';
import { requireUser } from '../ledger/users';
import type { Asset } from '../model/asset';
import type { CallerDescription } from '../model/caller';
import type { CertificateRecord } from '../model/certificate-record';
import type { Holding } from '../model/holding';
import type { HoldingChanges } from '../model/holding-changes';
import type { User } from '../model/user';
import { requireHolder } from '../rules/certificate-records';
import { creditBuyer, debitSeller, escrowUnits, revokeOnExit } from '../rules/escrow';
import { requireOwnPlatform } from '../rules/identity';
import type { PendingParties } from '../rules/pending-holdings';
import { ChaincodeError } from '../values/errors';

/**
 * The holding steps listings, offers, trades and campaigns share: each reads
 * through ledger/ and decides through rules/ (escrow), writing nothing.
 * Module functions, so none of them can be invoked.
 */

export interface Sale {
  readonly assetId: string;
  readonly sellerId: string;
  readonly units: number;
}

export interface Escrow {
  readonly seller: User;
  /** The seller's holding with the units escrowed, to write after the key gate. */
  readonly holding: Holding;
}

/** A new listing, campaign or offer: the seller's own platform escrows free units. */
export async function prepareEscrow(ctx: Context, caller: CallerDescription, sale: Sale): Promise<Escrow> {
  const seller = await requireUser(ctx, sale.sellerId);
  requireOwnPlatform(caller, seller.platform, `sell units of ${seller.userId}`);
  const asset = await requireAsset(ctx, sale.assetId);
  if (asset.status !== 'ACTIVE') {
    throw new ChaincodeError(
      'ASSET_IMPORTING',
      `asset ${asset.assetId} is still being imported: its units can be listed once the import is finished`,
    );
  }
  const held = await getHolding(ctx.stub, sale.assetId, sale.sellerId);
  const holding = requireHolder(held, { assetId: sale.assetId, holderId: sale.sellerId });
  return { seller, holding: escrowUnits(holding, sale.units) };
}

/** The seller's holding with units released from escrow; releasing never empties it. */
export async function prepareRelease(ctx: Context, sale: Sale): Promise<Holding> {
  const released = debitSeller(await escrowingHolding(ctx, sale), 0, sale.units);
  if (released === undefined) {
    throw new ChaincodeError('CORRUPT_STATE', `releasing escrow emptied ${sale.assetId}/${sale.sellerId}`);
  }
  return released;
}

/** Reads the seller's certificate only when they are leaving the asset. */
export async function sellerExit(
  ctx: Context,
  sale: Omit<Sale, 'units'>,
  seller: Holding | undefined,
  at: Date,
): Promise<CertificateRecord | undefined> {
  return seller === undefined
    ? revokeOnExit(await getCertificateRecord(ctx.stub, sale.assetId, sale.sellerId), at)
    : undefined;
}

export interface TransferRequest extends Sale {
  readonly buyerId: string;
  readonly at: Date;
}

/** One trade's holding changes: units leave the seller's escrow for the buyer (R5). */
export async function prepareTransfer(ctx: Context, request: TransferRequest): Promise<HoldingChanges> {
  const seller = debitSeller(await escrowingHolding(ctx, request), request.units, 0);
  const bought = await getHolding(ctx.stub, request.assetId, request.buyerId);
  const credit = creditBuyer(bought, { assetId: request.assetId, userId: request.buyerId }, request.units);
  return {
    assetId: request.assetId,
    sellerId: request.sellerId,
    seller,
    credits: [credit],
    revoked: await sellerExit(ctx, request, seller, request.at),
  };
}

/** A holding and its asset, as its holder's platform decides on it. */
export interface PendingDecision {
  readonly asset: Asset;
  readonly holding: Holding;
  readonly parties: PendingParties;
}

/**
 * R13: only the holder's own platform accepts or declines a holding granted
 * to its user; the registry admin does not act for users. Whether the
 * holding is still pending is the rule's to say (rules/pending-holdings.ts).
 */
export async function preparePendingDecision(
  ctx: Context,
  caller: CallerDescription,
  ref: { readonly assetId: string; readonly userId: string },
  verb: 'accept' | 'decline',
): Promise<PendingDecision> {
  const holder = await requireUser(ctx, ref.userId);
  requireOwnPlatform(caller, holder.platform, `${verb} holdings of ${holder.userId}`);
  const asset = await requireAsset(ctx, ref.assetId);
  const held = await getHolding(ctx.stub, ref.assetId, ref.userId);
  const holding = requireHolder(held, { assetId: ref.assetId, holderId: ref.userId });
  return { asset, holding, parties: { platform: holder.platform, assetPlatform: asset.platform } };
}
