import { canonicalBytes } from '@crowdledger/protocol';
import { ChaincodeError } from '../values/errors';
import type { Asset } from '../model/asset';
import type { Holding } from '../model/holding';

/*
 * R13: a platform acts only for its own users, so units it grants another
 * platform's user at registration wait for that platform: the holding is
 * PENDING (counted in the asset's total and shown in the cap table, but
 * with no certificate due and nothing tradable) until the holder's platform
 * accepts it, or declines it and the units leave the asset.
 */

/** What a pending holding may not do yet, in the sentence's words. */
export function requireAccepted(holding: Holding, what: string): void {
  if (holding.isPending()) {
    throw new ChaincodeError(
      'HOLDING_PENDING',
      `the holding of ${holding.userId} in ${holding.assetId} awaits acceptance by the holder's platform (assets:AcceptHolding), so it cannot ${what} yet`,
    );
  }
}

function requirePending(holding: Holding): void {
  if (!holding.isPending()) {
    throw new ChaincodeError(
      'HOLDING_NOT_PENDING',
      `the holding of ${holding.userId} in ${holding.assetId} is not pending: its certificate is ${holding.certificate}`,
    );
  }
}

/** The accepted holding: from now on it is due a certificate like any other (R3). */
export function acceptedHolding(holding: Holding): Holding {
  requirePending(holding);
  return holding.withCertificate('DUE');
}

/**
 * The asset after a pending holding is declined. The units were granted
 * but never taken up, so they were never anyone's: they leave the asset and
 * its total shrinks by them, which keeps holdings summing to the total (R2)
 * without handing them to someone who did not ask for them. The only
 * holding of an asset can't go this way (an asset has at least one unit):
 * it stays PENDING, which holds nothing up and issues no certificate.
 */
export function assetAfterDecline(asset: Asset, holding: Holding): Asset {
  requirePending(holding);
  if (holding.units >= asset.totalUnits) {
    throw new ChaincodeError(
      'LAST_HOLDING',
      `${holding.userId} holds all ${String(asset.totalUnits)} units of ${asset.assetId}: an asset keeps at least one unit, so its only holding cannot be declined; left pending, it issues no certificate`,
    );
  }
  return asset.withTotalUnits(asset.totalUnits - holding.units);
}

export interface PendingParties {
  /** MSP ID of the holder's platform: the one deciding. */
  readonly platform: string;
  /** MSP ID of the asset's registering platform. */
  readonly assetPlatform: string;
}

/** HoldingAccepted: the holding, now DUE, and both platforms. */
export function holdingAcceptedEvent(holding: Holding, parties: PendingParties): Uint8Array {
  return canonicalBytes({
    holding: holding.toJson(),
    platform: parties.platform,
    assetPlatform: parties.assetPlatform,
  });
}

/** HoldingDeclined: what left the asset, and its total after. */
export function holdingDeclinedEvent(holding: Holding, asset: Asset, parties: PendingParties): Uint8Array {
  return canonicalBytes({
    assetId: asset.assetId,
    userId: holding.userId,
    platform: parties.platform,
    assetPlatform: parties.assetPlatform,
    units: holding.units,
    totalUnits: asset.totalUnits,
  });
}
