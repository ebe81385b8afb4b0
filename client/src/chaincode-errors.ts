import type { ChaincodeErrorCode } from './codes';
import { CrowdLedgerError, type CrowdLedgerErrorOptions } from './error-base';

/**
 * A refusal by the chaincode (DESIGN §4): the base of one class per code, so
 * a platform can write `catch (e) { if (e instanceof InsufficientUnitsError) … }`
 * as well as test `e.code`. Nothing was written, except for a wrong
 * transaction key, whose refusal is committed so that it counts.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- C is what each subclass fixes `code` to
export class ChaincodeError<C extends ChaincodeErrorCode = ChaincodeErrorCode> extends CrowdLedgerError {
  /** The chaincode's code, narrowed to this class's. */
  declare readonly code: C;
}

/** INVALID_ARGUMENT: An argument the chaincode refused: malformed ID, text or JSON. */
export class InvalidArgumentError extends ChaincodeError<'INVALID_ARGUMENT'> {}

/** NOT_FOUND: A record the call needs does not exist (e.g. a certificate record, the asset CA). */
export class NotFoundError extends ChaincodeError<'NOT_FOUND'> {}

/** TRANSIENT_MISSING: A transient field the transaction needs was not sent. */
export class TransientMissingError extends ChaincodeError<'TRANSIENT_MISSING'> {}

/** FORBIDDEN: The caller may not do this: another platform's user or asset, a read-only role, a holder outside its own holding (R13). */
export class ForbiddenError extends ChaincodeError<'FORBIDDEN'> {}

/** CERTIFICATE_INVALID: A certificate is malformed, from the wrong issuer, names another holding, is not current, or is not the one on record. */
export class CertificateInvalidError extends ChaincodeError<'CERTIFICATE_INVALID'> {}

/** CERTIFICATE_REVOKED: The certificate is already revoked. */
export class CertificateRevokedError extends ChaincodeError<'CERTIFICATE_REVOKED'> {}

/** CORRUPT_STATE: A ledger record the chaincode cannot read: report it to the registry. */
export class CorruptStateError extends ChaincodeError<'CORRUPT_STATE'> {}

/** UNKNOWN_TRANSACTION: The contract has no transaction of that name. */
export class UnknownTransactionError extends ChaincodeError<'UNKNOWN_TRANSACTION'> {}

/** USER_EXISTS: The platform already registered a user with that reference. */
export class UserExistsError extends ChaincodeError<'USER_EXISTS'> {}

/** USER_NOT_FOUND: No user has that ID. */
export class UserNotFoundError extends ChaincodeError<'USER_NOT_FOUND'> {}

/** ASSET_EXISTS: The platform already registered an asset with that reference. */
export class AssetExistsError extends ChaincodeError<'ASSET_EXISTS'> {}

/** ASSET_NOT_FOUND: No asset has that ID. */
export class AssetNotFoundError extends ChaincodeError<'ASSET_NOT_FOUND'> {}

/** UNITS_INVALID: A unit count that is not a whole number from 1 to Number.MAX_SAFE_INTEGER. */
export class UnitsInvalidError extends ChaincodeError<'UNITS_INVALID'> {}

/** UNITS_MISMATCH: The holders' units do not add up to the asset's total. */
export class UnitsMismatchError extends ChaincodeError<'UNITS_MISMATCH'> {}

/** NOT_HOLDER: The user holds no units of the asset. */
export class NotHolderError extends ChaincodeError<'NOT_HOLDER'> {}

/** BAD_TRANSACTION_KEY: The transaction key was wrong; the refusal was committed and the failure counted (R7). */
export class BadTransactionKeyError extends ChaincodeError<'BAD_TRANSACTION_KEY'> {}

/** LOCKED: Trading is locked after repeated wrong keys, until the platform sets a new key. */
export class LockedError extends ChaincodeError<'LOCKED'> {}

/** KEY_NOT_SET: The user has no transaction key yet. */
export class KeyNotSetError extends ChaincodeError<'KEY_NOT_SET'> {}

/** INSUFFICIENT_UNITS: More units asked for than are free, or than a listing or campaign has left. */
export class InsufficientUnitsError extends ChaincodeError<'INSUFFICIENT_UNITS'> {}

/** LISTING_NOT_FOUND: No listing or campaign has that ID. */
export class ListingNotFoundError extends ChaincodeError<'LISTING_NOT_FOUND'> {}

/** LISTING_CLOSED: The listing is sold out, cancelled or expired. */
export class ListingClosedError extends ChaincodeError<'LISTING_CLOSED'> {}

/** LIMIT_EXCEEDED: Outside the per-buyer minimum or maximum, or past the investor cap. */
export class LimitExceededError extends ChaincodeError<'LIMIT_EXCEEDED'> {}

/** SELF_TRADE: A seller buying from their own listing or offer, or committing to their own campaign. */
export class SelfTradeError extends ChaincodeError<'SELF_TRADE'> {}

/** CAMPAIGN_OPEN: The campaign's deadline has not passed yet. */
export class CampaignOpenError extends ChaincodeError<'CAMPAIGN_OPEN'> {}

/** CAMPAIGN_CLOSED: The campaign no longer takes commitments. */
export class CampaignClosedError extends ChaincodeError<'CAMPAIGN_CLOSED'> {}

/** WITHDRAWAL_CLOSED: Commitments can be withdrawn only until 48 hours before the deadline. */
export class WithdrawalClosedError extends ChaincodeError<'WITHDRAWAL_CLOSED'> {}

/** OFFER_NOT_FOUND: No offer has that ID. */
export class OfferNotFoundError extends ChaincodeError<'OFFER_NOT_FOUND'> {}

/** OFFER_CLOSED: The offer was accepted, cancelled or expired. */
export class OfferClosedError extends ChaincodeError<'OFFER_CLOSED'> {}

/** NOT_EXPIRED: Expiring a listing or offer before its expiry time. */
export class NotExpiredError extends ChaincodeError<'NOT_EXPIRED'> {}

/** TIME_RANGE_INVALID: A time range that is not ISO-8601 instants with from before to. */
export class TimeRangeInvalidError extends ChaincodeError<'TIME_RANGE_INVALID'> {}

type ChaincodeErrorClass<C extends ChaincodeErrorCode> = new (
  code: C,
  sentence: string,
  options?: CrowdLedgerErrorOptions,
) => ChaincodeError<C>;

/** The class for each chaincode code; a unit test keeps it complete. */
export const CHAINCODE_ERROR_CLASSES: { readonly [C in ChaincodeErrorCode]: ChaincodeErrorClass<C> } = {
  INVALID_ARGUMENT: InvalidArgumentError,

  NOT_FOUND: NotFoundError,

  TRANSIENT_MISSING: TransientMissingError,

  FORBIDDEN: ForbiddenError,

  CERTIFICATE_INVALID: CertificateInvalidError,

  CERTIFICATE_REVOKED: CertificateRevokedError,

  CORRUPT_STATE: CorruptStateError,

  UNKNOWN_TRANSACTION: UnknownTransactionError,

  USER_EXISTS: UserExistsError,

  USER_NOT_FOUND: UserNotFoundError,

  ASSET_EXISTS: AssetExistsError,

  ASSET_NOT_FOUND: AssetNotFoundError,

  UNITS_INVALID: UnitsInvalidError,

  UNITS_MISMATCH: UnitsMismatchError,

  NOT_HOLDER: NotHolderError,

  BAD_TRANSACTION_KEY: BadTransactionKeyError,

  LOCKED: LockedError,

  KEY_NOT_SET: KeyNotSetError,

  INSUFFICIENT_UNITS: InsufficientUnitsError,

  LISTING_NOT_FOUND: ListingNotFoundError,

  LISTING_CLOSED: ListingClosedError,

  LIMIT_EXCEEDED: LimitExceededError,

  SELF_TRADE: SelfTradeError,

  CAMPAIGN_OPEN: CampaignOpenError,

  CAMPAIGN_CLOSED: CampaignClosedError,

  WITHDRAWAL_CLOSED: WithdrawalClosedError,

  OFFER_NOT_FOUND: OfferNotFoundError,

  OFFER_CLOSED: OfferClosedError,

  NOT_EXPIRED: NotExpiredError,

  TIME_RANGE_INVALID: TimeRangeInvalidError,
};

/** The typed error for a code the chaincode sent, named after its class (e.g. `UserExistsError`). */
export function chaincodeError<C extends ChaincodeErrorCode>(
  code: C,
  sentence: string,
  options: CrowdLedgerErrorOptions = {},
): ChaincodeError<C> {
  const ErrorClass: ChaincodeErrorClass<C> = CHAINCODE_ERROR_CLASSES[code];
  const error = new ErrorClass(code, sentence, options);
  error.name = ErrorClass.name;
  return error;
}
