import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { deleteHolding, getHolding, putHolding, putNewHolding } from '../ledger/assets';
import { getCertificateRecord, putCertificateRecord } from '../ledger/certificates';
import type { CertificateRecord } from '../model/certificate-record';
import type { Holding } from '../model/holding';
import type { Trade } from '../model/trade';
import type { ExecutedTrade } from '../model/trade-result';
import type { User } from '../model/user';
import { requireHolder } from '../rules/certificate-records';
import { type Credit, creditBuyer, debitSeller, escrowUnits, revokeOnExit } from '../rules/escrow';
import { type CallerDescription, requireOwnPlatform } from '../rules/identity';
import { requireAsset, requireUser } from './lookups';

/**
 * Holding reads and writes shared by listings, offers, trades and
 * campaigns. Module functions, so none of them can be invoked.
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
  await requireAsset(ctx, sale.assetId);
  const held = await getHolding(ctx.stub, sale.assetId, sale.sellerId);
  const holding = requireHolder(held, { assetId: sale.assetId, holderId: sale.sellerId });
  return { seller, holding: escrowUnits(holding, sale.units) };
}

/** The seller's holding behind an open listing or offer: it exists while it escrows units. */
export async function escrowingHolding(ctx: Context, sale: Omit<Sale, 'units'>): Promise<Holding> {
  const holding = await getHolding(ctx.stub, sale.assetId, sale.sellerId);
  if (holding === undefined) {
    throw new ChaincodeError(
      'CORRUPT_STATE',
      `units of ${sale.assetId} are escrowed for ${sale.sellerId}, who holds none`,
    );
  }
  return holding;
}

/** The seller's holding with units released from escrow; releasing never empties it. */
export async function prepareRelease(ctx: Context, sale: Sale): Promise<Holding> {
  const released = debitSeller(await escrowingHolding(ctx, sale), 0, sale.units);
  if (released === undefined) {
    throw new ChaincodeError('CORRUPT_STATE', `releasing escrow emptied ${sale.assetId}/${sale.sellerId}`);
  }
  return released;
}

/**
 * What a trade or settlement does to holdings: the seller's holding after
 * (undefined = deleted with its index entry), each buyer's, and the
 * seller's certificate record when their last unit went (R6).
 */
export interface HoldingChanges {
  readonly assetId: string;
  readonly sellerId: string;
  readonly seller: Holding | undefined;
  readonly credits: readonly Credit[];
  readonly revoked: CertificateRecord | undefined;
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

/** The trade with what it did to certificates (R6). */
export function executedTrade(trade: Trade, changes: HoldingChanges): ExecutedTrade {
  return {
    trade,
    buyerCertificateDue: changes.credits.some((credit) => credit.isNew),
    sellerCertificateRevoked: changes.revoked !== undefined,
  };
}
