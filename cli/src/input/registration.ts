// The JSON documents `users register` and `assets register` take, read into
// the SDK's input types. Shapes, types and unit sums are checked here so a
// mistake fails before anything is sent; the chaincode checks the rest
// (ID check characters, document hashes, that holders exist).
import {
  type AssetAttributes,
  type AssetDocument,
  type AssetInput,
  type AssetRights,
  ID_TYPES,
  type UserRegistration,
} from '@crowdledger/client';
import { type At, child, choice, flag, invalid, type JsonObject, list, record, text, whole } from './fields';

/** A platform's own reference, as the chaincode takes it. */
const REFERENCE = /^[A-Za-z0-9_.:-]{1,64}$/;
const CATEGORIES = ['EQUITY', 'DEBT', 'FUND', 'REVENUE_SHARE', 'OTHER'] as const;

function reference(o: JsonObject, key: string, at: At): string {
  const value = text(o, key, at);
  if (!REFERENCE.test(value)) {
    throw invalid(child(at, key), 'must be 1 to 64 of A-Z a-z 0-9 _ . : -');
  }
  return value;
}

/** `{"platformRef", "name", "idType", "idNumber"}`: a user to register (R1). */
export function parseUserRegistration(value: unknown, source: string): UserRegistration {
  const at = { source, path: '' };
  const o = record(value, at, ['platformRef', 'name', 'idType', 'idNumber']);
  return {
    platformRef: reference(o, 'platformRef', at),
    name: text(o, 'name', at),
    idType: choice(o, 'idType', at, ID_TYPES),
    idNumber: text(o, 'idNumber', at),
  };
}

/**
 * An asset to register (R2): `assetRef`, `attributes`, `rights`,
 * `totalUnits` and `holders`, whose units must add up to `totalUnits`.
 */
export function parseAssetInput(value: unknown, source: string): AssetInput {
  const at = { source, path: '' };
  const o = record(value, at, ['assetRef', 'attributes', 'rights', 'totalUnits', 'holders']);
  const assetRef = reference(o, 'assetRef', at);
  const totalUnits = whole(o, 'totalUnits', at, 1);
  const holders = list(o, 'holders', at, holder);
  if (holders.length === 0) {
    throw invalid(child(at, 'holders'), 'must name at least one holder');
  }
  checkUnits(holders, totalUnits, at);
  return {
    assetRef,
    attributes: attributes(o['attributes'], child(at, 'attributes')),
    rights: rights(o['rights'], child(at, 'rights')),
    totalUnits,
    holders,
  };
}

/**
 * The asset of a register import: the same terms and `totalUnits`, the
 * total the register's holders must add up to, but no `holders` (they come
 * from the register file).
 */
export function parseImportedAsset(value: unknown, source: string): Omit<AssetInput, 'holders'> {
  const at = { source, path: '' };
  const o = record(value, at, ['assetRef', 'attributes', 'rights', 'totalUnits']);
  return {
    assetRef: reference(o, 'assetRef', at),
    attributes: attributes(o['attributes'], child(at, 'attributes')),
    rights: rights(o['rights'], child(at, 'rights')),
    totalUnits: whole(o, 'totalUnits', at, 1),
  };
}

function holder(value: unknown, at: At): { userId: string; units: number } {
  const o = record(value, at, ['userId', 'units']);
  return { userId: text(o, 'userId', at), units: whole(o, 'units', at, 1) };
}

function checkUnits(holders: readonly { userId: string; units: number }[], totalUnits: number, at: At): void {
  const seen = new Set<string>();
  for (const [i, h] of holders.entries()) {
    if (seen.has(h.userId)) {
      throw invalid(child(child(at, 'holders'), i), `names ${h.userId} a second time`);
    }
    seen.add(h.userId);
  }
  // BigInt: a sum of safe integers can pass MAX_SAFE_INTEGER and round.
  const sum = holders.reduce((s, h) => s + BigInt(h.units), 0n);
  if (sum !== BigInt(totalUnits)) {
    throw invalid(
      at,
      `gives holders ${sum.toString()} units in all, but totalUnits is ${String(totalUnits)}`,
    );
  }
}

function attributes(value: unknown, at: At): AssetAttributes {
  const o = record(value, at, ['name', 'category', 'description', 'currency', 'documents']);
  return {
    name: text(o, 'name', at),
    category: choice(o, 'category', at, CATEGORIES),
    description: text(o, 'description', at, true),
    currency: text(o, 'currency', at),
    documents: list(o, 'documents', at, documentOf, []),
  };
}

function documentOf(value: unknown, at: At): AssetDocument {
  const o = record(value, at, ['name', 'sha256', 'uri']);
  return { name: text(o, 'name', at), sha256: text(o, 'sha256', at), uri: text(o, 'uri', at) };
}

function rights(value: unknown, at: At): AssetRights {
  const o = record(value, at, ['voting', 'dividend', 'otherTerms']);
  return {
    voting: voting(o['voting'], child(at, 'voting')),
    dividend: dividend(o['dividend'], child(at, 'dividend')),
    otherTerms: list(o, 'otherTerms', at, term, []),
  };
}

function voting(value: unknown, at: At): AssetRights['voting'] {
  const o = record(value, at, ['enabled', 'votesPerUnit']);
  return { enabled: flag(o, 'enabled', at), votesPerUnit: whole(o, 'votesPerUnit', at, 0) };
}

function dividend(value: unknown, at: At): AssetRights['dividend'] {
  const o = record(value, at, ['enabled', 'policy']);
  return { enabled: flag(o, 'enabled', at), policy: text(o, 'policy', at, true) };
}

function term(value: unknown, at: At): { name: string; value: string } {
  const o = record(value, at, ['name', 'value']);
  return { name: text(o, 'name', at), value: text(o, 'value', at) };
}
