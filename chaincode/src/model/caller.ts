import type { X509Certificate } from 'node:crypto';

export type Role = 'admin' | 'auditor' | 'platform';

/** An asset and one of its holders: what an asset certificate is for. */
export interface HolderKey {
  readonly assetId: string;
  readonly holderId: string;
}

/** What the proposal says about its signer, before any decision about who that is. */
export interface CallerFacts {
  readonly mspId: string;
  readonly certificate: X509Certificate;
  attribute(name: string): string | null;
}

/** Who the caller is, as every contract's authorisation sees it (rules/identity decides it). */
export interface CallerDescription {
  readonly mspId: string;
  readonly subject: string;
  readonly issuer: string;
  readonly role: Role | null;
}
