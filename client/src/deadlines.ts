// How long each kind of gateway call may take before the SDK gives up on it
// (DEADLINE_EXCEEDED, code TIMEOUT). A platform on a busy host or with large
// batches raises them with CrowdLedger.connect's `deadlinesMs`.
import type { CallOptions } from '@grpc/grpc-js';
import { ClientErrorCode, CrowdLedgerError } from './errors';

/** Milliseconds each kind of gateway call may take. */
export interface CallDeadlines {
  /** An evaluate (a read on one peer). */
  readonly evaluate: number;
  /** Endorsement of a submit: the gateway has every endorser run the chaincode. */
  readonly endorse: number;
  /** Handing the endorsed transaction to the orderers. */
  readonly submit: number;
  /** Waiting for the transaction's block and its validation code: it waits for a block, so the longest. */
  readonly commitStatus: number;
}

/** The deadlines when the options name none. */
export const DEADLINES_MS: CallDeadlines = Object.freeze({
  evaluate: 5_000,
  endorse: 15_000,
  submit: 5_000,
  commitStatus: 60_000,
});

/**
 * The range a deadline must lie in: below 100 ms no call can complete, and
 * past 10 minutes a caller has almost surely given seconds for milliseconds.
 */
export const DEADLINE_RANGE_MS = Object.freeze({ min: 100, max: 600_000 });

const KINDS = Object.keys(DEADLINES_MS) as readonly (keyof CallDeadlines)[];

function isKind(key: string): key is keyof CallDeadlines {
  return (KINDS as readonly string[]).includes(key);
}

function invalid(sentence: string): CrowdLedgerError {
  return new CrowdLedgerError(ClientErrorCode.invalidOptions, sentence);
}

/**
 * The defaults with the given deadlines over them, each checked: a whole
 * number of milliseconds in {@link DEADLINE_RANGE_MS}. An unknown kind is
 * refused rather than ignored, so a misspelt one cannot leave the default
 * silently in force.
 */
export function checkDeadlines(given: Partial<CallDeadlines> | undefined): CallDeadlines {
  const deadlines: Record<keyof CallDeadlines, number> = { ...DEADLINES_MS };
  for (const [key, value] of Object.entries(given ?? {}) as [string, unknown][]) {
    if (!isKind(key)) {
      throw invalid(`deadlinesMs has no ${key}; it takes ${KINDS.join(', ')}`);
    }
    if (value === undefined) {
      continue;
    }
    if (
      !Number.isSafeInteger(value) ||
      (value as number) < DEADLINE_RANGE_MS.min ||
      (value as number) > DEADLINE_RANGE_MS.max
    ) {
      throw invalid(
        `deadlinesMs.${key} must be a whole number of milliseconds from ${String(DEADLINE_RANGE_MS.min)} to ${String(DEADLINE_RANGE_MS.max)}`,
      );
    }
    deadlines[key] = value as number;
  }
  return deadlines;
}

/** A gateway call-options factory: each call gets its deadline counted from when it starts. */
function within(ms: number): () => CallOptions {
  return () => ({ deadline: Date.now() + ms });
}

/** The four call-options factories fabric-gateway's connect takes, from the deadlines. */
export function callOptions(deadlines: CallDeadlines): {
  readonly evaluateOptions: () => CallOptions;
  readonly endorseOptions: () => CallOptions;
  readonly submitOptions: () => CallOptions;
  readonly commitStatusOptions: () => CallOptions;
} {
  return {
    evaluateOptions: within(deadlines.evaluate),
    endorseOptions: within(deadlines.endorse),
    submitOptions: within(deadlines.submit),
    commitStatusOptions: within(deadlines.commitStatus),
  };
}
