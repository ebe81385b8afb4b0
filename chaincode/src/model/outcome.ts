import type { RefusalCode } from '@crowdledger/protocol';
import { optional, record, type RecordClass, type Schema, shown } from './record';

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

const REFUSABLE = {
  /** OK | REFUSED */
  outcome: shown<Outcome>('string'),
  /** REFUSED only: BAD_TRANSACTION_KEY | LOCKED. */
  code: optional(shown<RefusalCode>('string')),
  sentence: optional(shown<string>('string')),
};

/**
 * The base of a key-gated transaction's result: OK with the payload's
 * fields (all optional, since a refusal has none), or REFUSED with code and
 * sentence.
 */
export function refusable<S extends Schema>(payload: S): RecordClass<typeof REFUSABLE & S> {
  return record({ ...REFUSABLE, ...payload });
}
