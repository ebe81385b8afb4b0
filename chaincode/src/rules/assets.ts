import { ChaincodeError } from '../values/errors';
import { canonicalBytes } from '@crowdledger/protocol';
import { Asset } from '../model/asset';
import { AssetAttributes, AssetRights } from '../model/asset-terms';
import { Holding } from '../model/holding';
import type { User } from '../model/user';
import { parseJsonArgument, requireArray, requireFields } from '../values/guards';
import { requireReference, requireUserId } from '../values/ids';
import { integerLiteralsOnly, requireUnits, requireUnitsAddUp } from '../values/units';

export const MAX_HOLDERS = 1000;
export const MAX_ASSET_JSON = 1_000_000;

export interface HolderInput {
  readonly userId: string;
  readonly units: number;
}

/** The assets:Register argument, checked. */
export interface AssetInput {
  readonly assetRef: string;
  readonly attributes: AssetAttributes;
  readonly rights: AssetRights;
  readonly totalUnits: number;
  readonly holders: readonly HolderInput[];
}

export function parseAssetInput(text: unknown): AssetInput {
  const value = parseJsonArgument(text, 'assetJson', MAX_ASSET_JSON, integerLiteralsOnly);
  const fields = requireFields(value, 'assetJson', [...TERM_FIELDS, 'holders']);
  const terms = parseAssetTerms(fields);
  const holders = parseHolders(fields['holders']);
  requireUnitsAddUp(
    terms.totalUnits,
    holders.map((holder) => holder.units),
  );
  return { ...terms, holders };
}

const TERM_FIELDS = ['assetRef', 'attributes', 'rights', 'totalUnits'] as const;

/** An asset without its holders: what a register import declares before adding them in batches. */
export type AssetTerms = Omit<AssetInput, 'holders'>;

function parseAssetTerms(fields: Readonly<Record<string, unknown>>): AssetTerms {
  return {
    assetRef: requireReference(fields['assetRef'], 'assetJson.assetRef'),
    attributes: AssetAttributes.parse(fields['attributes'], 'assetJson.attributes'),
    rights: AssetRights.parse(fields['rights'], 'assetJson.rights'),
    totalUnits: requireUnits(fields['totalUnits'], 'assetJson.totalUnits'),
  };
}

/** The imports:Begin argument: {assetRef, attributes, rights, totalUnits}, the total declared. */
export function parseAssetTermsInput(text: unknown): AssetTerms {
  const value = parseJsonArgument(text, 'assetJson', MAX_ASSET_JSON, integerLiteralsOnly);
  return parseAssetTerms(requireFields(value, 'assetJson', TERM_FIELDS));
}

function parseHolders(value: unknown): HolderInput[] {
  const entries = requireArray(value, 'assetJson.holders', 1, MAX_HOLDERS);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const path = `assetJson.holders[${String(i)}]`;
    const fields = requireFields(entry, path, ['userId', 'units']);
    const userId = requireUserId(fields['userId'], `${path}.userId`);
    if (seen.has(userId)) {
      throw new ChaincodeError('INVALID_ARGUMENT', `${path}.userId: ${userId} is listed more than once`);
    }
    seen.add(userId);
    return { userId, units: requireUnits(fields['units'], `${path}.units`) };
  });
}

/** An initial holder with their user's platform. */
export interface PlacedHolder extends HolderInput {
  /** MSP ID of the holder's platform. */
  readonly platform: string;
}

/**
 * R2: every initial holder is a registered, active user, of any platform: a
 * platform's asset may be held by another platform's users from the start
 * (the register is shared). ACTIVE is the only user status so far: a status
 * added later must be refused here.
 */
export function requireActiveHolders(
  holders: readonly HolderInput[],
  users: readonly (User | undefined)[],
): PlacedHolder[] {
  return holders.map((holder, i) => {
    const user = users[i];
    if (user === undefined) {
      throw new ChaincodeError('USER_NOT_FOUND', `holder ${holder.userId} is not a registered user`);
    }
    return { ...holder, platform: user.platform };
  });
}

export interface AssetRegistration {
  readonly input: AssetInput;
  readonly assetId: string;
  readonly mspId: string;
  readonly at: Date;
  /** The input's holders with their platforms (requireActiveHolders). */
  readonly holders: readonly PlacedHolder[];
}

/** One initial holding and the platform of its holder. */
export interface InitialHolding {
  readonly holding: Holding;
  /** MSP ID of the holder's platform. */
  readonly platform: string;
}

/**
 * The asset and one holding per initial holder. The registering platform's
 * own users are due a certificate (R3). Another platform's users are
 * PENDING: granting units is not acting for a user, so their platform
 * accepts the holding first (R13, rules/pending-holdings.ts).
 */
export function newAssetRecords(registration: AssetRegistration): {
  asset: Asset;
  holdings: InitialHolding[];
} {
  const { input, assetId, mspId } = registration;
  const asset = new Asset({
    assetId,
    platform: mspId,
    attributes: input.attributes,
    rights: input.rights,
    totalUnits: input.totalUnits,
    registeredAt: registration.at.toISOString(),
    status: 'ACTIVE',
  });
  const holdings = registration.holders.map(({ userId, units, platform }): InitialHolding => ({
    holding: new Holding({
      assetId,
      userId,
      units,
      escrowed: 0,
      certificate: platform === mspId ? 'DUE' : 'PENDING',
    }),
    platform,
  }));
  return { asset, holdings };
}

/**
 * The AssetRegistered event: the asset's public summary and every holder
 * with their platform, certificateDue and pending, so each platform's
 * listener can have its own holders' certificates issued (R3), and accept
 * or decline what is pending for it (R13), without another query.
 */
export function assetRegisteredEvent(asset: Asset, holdings: readonly InitialHolding[]): Uint8Array {
  return canonicalBytes({
    assetId: asset.assetId,
    platform: asset.platform,
    totalUnits: asset.totalUnits,
    registeredAt: asset.registeredAt,
    holders: holdings.map(({ holding, platform }) => ({
      userId: holding.userId,
      platform,
      units: holding.units,
      certificateDue: !holding.isPending(),
      pending: holding.isPending(),
    })),
  });
}
