import type { RefusalCode } from '@crowdledger/protocol';

/**
 * Key-gated transactions (R7) end in one of two committed outcomes. A wrong
 * or locked key is not thrown: a transaction that throws commits nothing,
 * and the failure count must be written. Every other failure still throws.
 */
export const OUTCOMES = ['OK', 'REFUSED'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Why a key-gated transaction was refused; the sentence names no key material. */
export interface Refusal {
  readonly code: RefusalCode;
  readonly sentence: string;
}
