import {
  ID_FORMATS,
  LEDGER_ID_LENGTH,
  MSP_ID_FORMAT,
  REFERENCE_FORMAT,
  REFERENCE_SECRET_FORMAT,
} from '@crowdledger/protocol';
import { requireText } from './guards';

/*
 * What IDs look like and how they are derived is the protocol's
 * (`@crowdledger/protocol` ids.ts); here each format becomes a guard that
 * fails with INVALID_ARGUMENT naming the argument.
 */

interface IdFormat {
  readonly pattern: RegExp;
  readonly expected: string;
}

function ledgerIdGuard(format: IdFormat, defaultName: string) {
  return (value: unknown, name = defaultName): string =>
    requireText(value, name, { ...format, maxLength: LEDGER_ID_LENGTH });
}

export const requireUserId = ledgerIdGuard(ID_FORMATS.user, 'userId');
export const requireAssetId = ledgerIdGuard(ID_FORMATS.asset, 'assetId');
export const requireListingId = ledgerIdGuard(ID_FORMATS.listing, 'listingId');
export const requireOfferId = ledgerIdGuard(ID_FORMATS.offer, 'offerId');
export const requireTradeId = ledgerIdGuard(ID_FORMATS.trade, 'tradeId');

/** A listing or an offer: what a trade executed against. */
export function requireTradeSource(value: unknown, name: string): string {
  return ledgerIdGuard(ID_FORMATS.tradeSource, name)(value);
}

/** A platform's own reference for a user or asset. */
export function requireReference(value: unknown, name: string): string {
  return requireText(value, name, REFERENCE_FORMAT);
}

/** A platform's reference secret; the sentence never echoes what was sent. */
export function requireReferenceSecret(value: unknown, name = 'referenceSecret'): string {
  return requireText(value, name, { ...REFERENCE_SECRET_FORMAT, maxLength: 64 });
}

export function requireMspId(value: unknown, name = 'mspId'): string {
  return requireText(value, name, MSP_ID_FORMAT);
}
