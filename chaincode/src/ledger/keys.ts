import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

/**
 * Object types of composite keys. Every record lives under one of these, so a
 * range scan over a type never meets another type's records.
 */
export const KeyPrefix = {
  smoke: 'smoke',
  config: 'config',
  /** (user, userId) → public User. */
  user: 'user',
  /** (personal, userId) → PersonalData, in the user's platform collection only. */
  personal: 'personal',
  /** (asset, assetId) → Asset. */
  asset: 'asset',
  /** (assetByPlatform, mspId, assetId) → AssetRef: a platform's assets by range scan. */
  assetByPlatform: 'assetByPlatform',
  /** (holding, assetId, userId) → Holding: an asset's cap table by range scan. */
  holding: 'holding',
  /** (holdingByUser, userId, assetId) → HoldingRef: a user's portfolio by range scan. */
  holdingByUser: 'holdingByUser',
  /** (certificate, assetId, userId) → CertificateRecord of the holder's current certificate. */
  certificate: 'certificate',
} as const;

export type KeyPrefixName = (typeof KeyPrefix)[keyof typeof KeyPrefix];

/** Names of the singleton configuration records under the config prefix. */
export const ConfigName = {
  assetCertificateAuthority: 'assetCertificateAuthority',
} as const;

export function stateKey(stub: Stub, prefix: KeyPrefixName, ...parts: string[]): string {
  return stub.createCompositeKey(prefix, parts);
}
