import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

/**
 * Object types of composite keys. Every record lives under one of these, so a
 * range scan over a type never meets another type's records.
 */
export const KeyPrefix = {
  smoke: 'smoke',
  config: 'config',
} as const;

export type KeyPrefixName = (typeof KeyPrefix)[keyof typeof KeyPrefix];

/** Names of the singleton configuration records under the config prefix. */
export const ConfigName = {
  assetCertificateAuthority: 'assetCertificateAuthority',
} as const;

export function stateKey(stub: Stub, prefix: KeyPrefixName, ...parts: string[]): string {
  return stub.createCompositeKey(prefix, parts);
}
