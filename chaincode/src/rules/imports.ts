import {
  canonicalBytes,
  type ImportRejection,
  type ImportRejectionCode,
  type PersonalDetails,
  userIdFor,
} from '@crowdledger/protocol';
import { Asset } from '../model/asset';
import { Holding } from '../model/holding';
import type { ImportBatch } from '../model/import-batch';
import type { PersonalData } from '../model/personal-data';
import type { User } from '../model/user';
import { ChaincodeError } from '../values/errors';
import { parseJsonArgument, requireArray, requireFields } from '../values/guards';
import { requireReference } from '../values/ids';
import { requirePersonalDetails, requireSalt } from '../values/personal-data';
import { integerLiteralsOnly, requireUnits, sumUnits } from '../values/units';
import type { AssetTerms } from './assets';
import { MAX_HOLDERS } from './assets';

/*
 * A register import (the CSRC's "asset mapping"): a platform brings the
 * holder register it kept elsewhere onto the ledger. imports:Begin records
 * the asset IMPORTING with its declared total; imports:Add writes up to
 * MAX_HOLDERS holders a transaction, registering each as the platform's user
 * where needed; imports:Finish makes the asset ACTIVE once the holdings sum
 * to the total (R2). Each holder is keyed by the user ID its platform
 * reference gives, so a batch sent again writes nothing twice.
 */

/** The holders transient field can't be larger than this many characters. */
export const MAX_IMPORT_JSON = 1_000_000;

/** One row of an import batch, checked. */
export interface ImportRow extends PersonalDetails {
  readonly platformRef: string;
  readonly units: number;
  readonly salt: string;
}

/** The transient field `holders`: 1 to MAX_HOLDERS rows, each platform reference once. */
export function parseImportRows(text: string): ImportRow[] {
  const value = parseJsonArgument(text, 'holders', MAX_IMPORT_JSON, integerLiteralsOnly);
  const entries = requireArray(value, 'holders', 1, MAX_HOLDERS);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const path = `holders[${String(i)}]`;
    const row = parseImportRow(entry, path);
    if (seen.has(row.platformRef)) {
      // The reference is personal: the sentence names only the place.
      throw new ChaincodeError('INVALID_ARGUMENT', `${path}.platformRef is listed more than once`);
    }
    seen.add(row.platformRef);
    return row;
  });
}

function parseImportRow(entry: unknown, path: string): ImportRow {
  const fields = requireFields(entry, path, ['platformRef', 'name', 'idType', 'idNumber', 'units', 'salt']);
  const { name, idType, idNumber } = fields;
  return {
    platformRef: requireReference(fields['platformRef'], `${path}.platformRef`),
    ...requirePersonalDetails({ name, idType, idNumber }, path),
    units: requireUnits(fields['units'], `${path}.units`),
    salt: requireSalt(fields['salt'], `${path}.salt`),
  };
}

/** The asset a register import begins with: IMPORTING, its total as declared, no holding yet. */
export function importingAsset(terms: AssetTerms, assetId: string, mspId: string, at: Date): Asset {
  return new Asset({
    assetId,
    platform: mspId,
    attributes: terms.attributes,
    rights: terms.rights,
    totalUnits: terms.totalUnits,
    registeredAt: at.toISOString(),
    status: 'IMPORTING',
  });
}

/** Import steps other than Begin need an asset still IMPORTING. */
export function requireImporting(asset: Asset): Asset {
  if (asset.status !== 'IMPORTING') {
    throw new ChaincodeError(
      'ASSET_NOT_IMPORTING',
      `asset ${asset.assetId} is ${asset.status}: its import finished, or it was registered whole`,
    );
  }
  return asset;
}

/** What the ledger holds for a row's user ID before the batch writes. */
export interface RowState {
  readonly user: User | undefined;
  /** Read only for a registered user: a new one holds nothing. */
  readonly holding: Holding | undefined;
  /** Read only for a registered user without a holding, to compare with the row. */
  readonly personal: PersonalData | undefined;
}

/** What to do with one row. */
export type RowDecision =
  | { readonly kind: 'register' | 'hold'; readonly userId: string }
  | { readonly kind: 'skip' }
  | { readonly kind: 'reject'; readonly code: ImportRejectionCode; readonly reason: string };

/** The row's user ID: keyed with the platform's reference secret, like users:Register. */
export function rowUserId(mspId: string, referenceSecret: string, row: ImportRow): string {
  return userIdFor(mspId, referenceSecret, row.platformRef);
}

/**
 * A new user is registered and made a holder; a registered one with the same
 * personal data only made a holder; one already holding exactly these units
 * is skipped (an earlier run wrote them). Anything else is refused for this
 * row alone, with a sentence that names IDs only.
 */
export function decideRow(row: ImportRow, userId: string, state: RowState, assetId: string): RowDecision {
  if (state.user === undefined) {
    return { kind: 'register', userId };
  }
  if (state.holding !== undefined) {
    return state.holding.units === row.units
      ? { kind: 'skip' }
      : {
          kind: 'reject',
          code: 'HOLDING_CONFLICT',
          reason: `${userId} already holds ${String(state.holding.units)} units of ${assetId}, the register says ${String(row.units)}`,
        };
  }
  const same =
    state.personal?.name === row.name &&
    state.personal.idType === row.idType &&
    state.personal.idNumber === row.idNumber;
  return same
    ? { kind: 'hold', userId }
    : {
        kind: 'reject',
        code: 'USER_DETAILS_MISMATCH',
        reason: `${userId} is registered with another name or ID than this row gives`,
      };
}

/** A holding an import writes: the platform's own user, due a certificate (R3). */
export function importedHolding(assetId: string, userId: string, units: number): Holding {
  return new Holding({ assetId, userId, units, escrowed: 0, certificate: 'DUE' });
}

/** What a batch decided, in the shape of its result. */
export interface BatchOutcome {
  readonly written: { readonly userId: string; readonly units: number }[];
  readonly skipped: number[];
  readonly rejected: ImportRejection[];
}

/**
 * imports:Finish: the holdings imported must add up to the declared total
 * exactly (R2), counted from the batch records.
 */
export function requireImportComplete(asset: Asset, batches: readonly ImportBatch[]): void {
  const units = sumUnits(batches.map((b) => b.units));
  const holders = batches.reduce((sum, b) => sum + b.holders, 0);
  if (units !== BigInt(asset.totalUnits)) {
    throw new ChaincodeError(
      'IMPORT_INCOMPLETE',
      `the ${String(holders)} holders imported into ${asset.assetId} in ${String(batches.length)} batches hold ${units.toString()} units, not the ${String(asset.totalUnits)} declared`,
    );
  }
}

/** The HoldersImported event: public IDs and units only. */
export function holdersImportedEvent(asset: Asset, outcome: BatchOutcome): Uint8Array {
  return canonicalBytes({ assetId: asset.assetId, platform: asset.platform, holders: outcome.written });
}
