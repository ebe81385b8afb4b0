import { ChaincodeError } from '../values/errors';
import type { CertificateRecord } from '../model/certificate-record';
import { Holding } from '../model/holding';
import type { Credit } from '../model/holding-changes';
import { requireAccepted } from './pending-holdings';

/**
 * Escrow (R8): units a listing, campaign or offer has promised stay in the
 * seller's holding, counted in escrowed, so they cannot be promised twice.
 * Every holding keeps 0 ≤ escrowed ≤ units.
 */

/** Locks units for a new listing, campaign or offer. */
export function escrowUnits(holding: Holding, units: number): Holding {
  requireAccepted(holding, 'be sold or listed');
  const free = holding.units - holding.escrowed;
  if (units > free) {
    throw new ChaincodeError(
      'INSUFFICIENT_UNITS',
      `seller ${holding.userId} holds ${String(free)} free units of ${holding.assetId}, ${String(units)} requested`,
    );
  }
  return holding.withUnits(holding.units, holding.escrowed + units);
}

/**
 * The seller's holding after sold units leave it and released units go
 * back to free; undefined when nothing is left, so the holding is deleted.
 */
export function debitSeller(holding: Holding, sold: number, released: number): Holding | undefined {
  const escrowed = holding.escrowed - sold - released;
  if (escrowed < 0) {
    throw new ChaincodeError(
      'CORRUPT_STATE',
      `holding ${holding.assetId}/${holding.userId} escrows ${String(holding.escrowed)} units, fewer than the ${String(sold + released)} its listings account for`,
    );
  }
  const units = holding.units - sold;
  return units === 0 ? undefined : holding.withUnits(units, escrowed);
}

/**
 * The buyer's holding after receiving units; a new one has its certificate
 * DUE. A pending one is refused: the buyer's platform accepts it first.
 */
export function creditBuyer(
  holding: Holding | undefined,
  ref: { readonly assetId: string; readonly userId: string },
  units: number,
): Credit {
  if (holding === undefined) {
    return {
      holding: new Holding({
        assetId: ref.assetId,
        userId: ref.userId,
        units,
        escrowed: 0,
        certificate: 'DUE',
      }),
      isNew: true,
    };
  }
  requireAccepted(holding, 'receive more units');
  const total = holding.units + units;
  if (!Number.isSafeInteger(total)) {
    throw new ChaincodeError(
      'CORRUPT_STATE',
      `holding ${ref.assetId}/${ref.userId} would pass the largest unit count`,
    );
  }
  return { holding: holding.withUnits(total, holding.escrowed), isNew: false };
}

export const TRANSFERRED = 'transferred';

/**
 * R6: a seller who sold their last unit loses their certificate. The
 * active record is revoked with reason "transferred"; with none recorded,
 * or one already revoked, nothing changes.
 */
export function revokeOnExit(record: CertificateRecord | undefined, at: Date): CertificateRecord | undefined {
  return record?.status === 'ACTIVE'
    ? record.revoked({ revokedAt: at.toISOString(), revocationReason: TRANSFERRED })
    : undefined;
}
