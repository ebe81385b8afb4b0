// Pure rules of certificate issuance (R3, R6): which holdings are due, and
// what goes into a certificate. No network here, so all of it is unit-tested.
import { ClientErrorCode, CrowdLedgerError, errorFor } from '../errors';
import { maskIdNumber } from '@crowdledger/protocol';
import type { Holding, PersonalData, User } from '../model';
import type { CrowdLedgerEvent } from './event-types';

/** The certificate attribute with the holder's name (only with `personalAttributes`). */
export const NAME_ATTRIBUTE = 'crowdledger.name';
/** The certificate attribute with the holder's masked ID number (only with `personalAttributes`). */
export const ID_MASK_ATTRIBUTE = 'crowdledger.idmask';

/** Why a due-looking holding was not issued a certificate. */
export type SkipReason =
  /** The holder is another platform's user: their platform issues it. */
  | 'OTHER_PLATFORM'
  /** A certificate is already on record. */
  | 'ALREADY_ISSUED'
  /** The user holds no units of the asset (any more). */
  | 'NOT_HOLDER'
  /** The holding awaits this platform's acceptance (assets.acceptHolding): no certificate until then (R13). */
  | 'PENDING';

/** A holding an event says may need a certificate. */
export interface DueHolding {
  /** The asset held. */
  readonly assetId: string;
  /** The holder's user ID. */
  readonly holderId: string;
}

/**
 * The holdings an event announces as due: every initial holder of
 * AssetRegistered with certificateDue (pending ones are not), every holder
 * a register import's HoldersImported wrote, the holding
 * of a HoldingAccepted, the buyer of a TradeExecuted with
 * buyerCertificateDue, and each of a CampaignSettled's certificatesDue.
 * Users of other platforms are among them; issueDue skips those (OTHER_PLATFORM).
 */
export function dueHoldingsIn(event: CrowdLedgerEvent): DueHolding[] {
  switch (event.name) {
    case 'AssetRegistered': {
      const { assetId, holders } = event.payload;
      return holders.filter((h) => h.certificateDue).map((h) => ({ assetId, holderId: h.userId }));
    }
    case 'HoldersImported': {
      const { assetId, holders } = event.payload;
      return holders.map((h) => ({ assetId, holderId: h.userId }));
    }
    case 'HoldingAccepted': {
      const { assetId, userId } = event.payload.holding;
      return [{ assetId, holderId: userId }];
    }
    case 'TradeExecuted': {
      const { trade, buyerCertificateDue } = event.payload;
      return buyerCertificateDue ? [{ assetId: trade.assetId, holderId: trade.buyerId }] : [];
    }
    case 'CampaignSettled': {
      const { listing, certificatesDue } = event.payload;
      return certificatesDue.map((holderId) => ({ assetId: listing.assetId, holderId }));
    }
    default:
      return [];
  }
}

/**
 * The holdings whose certificate an event says the ledger revoked, which the
 * asset CA must then revoke too: the seller who sold their last unit in a
 * trade or a settled campaign (R6), and any revocation recorded directly.
 */
export function revokedHoldingsIn(event: CrowdLedgerEvent): DueHolding[] {
  switch (event.name) {
    case 'TradeExecuted': {
      const { trade, sellerCertificateRevoked } = event.payload;
      return sellerCertificateRevoked ? [{ assetId: trade.assetId, holderId: trade.sellerId }] : [];
    }
    case 'CampaignSettled': {
      const { listing, sellerCertificateRevoked } = event.payload;
      return sellerCertificateRevoked ? [{ assetId: listing.assetId, holderId: listing.sellerId }] : [];
    }
    case 'CertificateRevoked':
      return [{ assetId: event.payload.assetId, holderId: event.payload.holderId }];
    default:
      return [];
  }
}

/**
 * Whether this platform may issue the holding a certificate now: the user is
 * its own, holds units, and the certificate is DUE — or REVOKED while they
 * hold units again (R6). `reissue` also allows ISSUED (a lost key).
 */
export function skipReason(
  mspId: string,
  user: User,
  holding: Holding | undefined,
  reissue = false,
): SkipReason | undefined {
  if (user.platform !== mspId) {
    return 'OTHER_PLATFORM';
  }
  if (holding === undefined || holding.units <= 0) {
    return 'NOT_HOLDER';
  }
  if (holding.certificate === 'PENDING') {
    return 'PENDING';
  }
  return holding.certificate === 'ISSUED' && !reissue ? 'ALREADY_ISSUED' : undefined;
}

/** The error `issue()` raises for a skip reason. */
export function notIssuable(
  reason: SkipReason,
  mspId: string,
  user: User,
  assetId: string,
): CrowdLedgerError {
  switch (reason) {
    case 'OTHER_PLATFORM':
      return new CrowdLedgerError(
        ClientErrorCode.notOwnUser,
        `${user.userId} is a user of ${user.platform}; only that platform issues their certificates, not ${mspId}`,
      );
    case 'NOT_HOLDER':
      return errorFor('NOT_HOLDER', `user ${user.userId} holds no units of ${assetId}`);
    case 'PENDING':
      return errorFor(
        'HOLDING_PENDING',
        `the holding of ${user.userId} in ${assetId} awaits acceptance (assets.acceptHolding): no certificate until then`,
      );
    case 'ALREADY_ISSUED':
      return new CrowdLedgerError(
        ClientErrorCode.certificateNotDue,
        `the certificate of ${assetId}/${user.userId} is already issued (pass reissue to replace it)`,
      );
  }
}

/** The personal attributes a certificate carries when asked for. */
export function personalAttributes(personal: PersonalData): Record<string, string> {
  return {
    [NAME_ATTRIBUTE]: personal.name,
    [ID_MASK_ATTRIBUTE]: maskIdNumber(personal.idNumber),
  };
}
