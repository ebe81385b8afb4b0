import { setTimeout as sleepFor } from 'node:timers/promises';
import { isRetryableError } from './errors';

/**
 * How a submit is retried. Only conflicts are retried (errors.ts
 * RETRYABLE_CODES): MVCC_READ_CONFLICT — another transaction changed a key
 * this one read — and ENDORSEMENT_MISMATCH — the endorsers read different
 * versions of a key, the same conflict caught before ordering. A fresh
 * attempt (new proposal, new transaction ID) can pass. Every other failure
 * surfaces at once.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 turns retrying off. */
  readonly attempts: number;
  /** Delay before the second attempt; it doubles for each one after. */
  readonly baseDelayMs: number;
  /** No delay is longer than this. */
  readonly maxDelayMs: number;
}

/** Five attempts, waiting about 0.1, 0.2, 0.4 and 0.8 s between them. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 };

/** The clock and dice of a retry loop, replaceable in tests. */
export interface RetryEnvironment {
  /** Waits the given milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1). */
  readonly random: () => number;
}

const REAL: RetryEnvironment = {
  sleep: (ms) => sleepFor(ms),
  random: Math.random,
};

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): exponential,
 * capped, with "equal jitter" — half of it fixed, half random — so that
 * clients that conflicted together do not retry together.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}

/** Checks a policy: whole attempts from 1 to 20 and non-negative delays. */
export function checkRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const { attempts, baseDelayMs, maxDelayMs } = policy;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) {
    throw new RangeError('retry.attempts must be a whole number from 1 to 20');
  }
  if (!(baseDelayMs >= 0 && maxDelayMs >= baseDelayMs && Number.isFinite(maxDelayMs))) {
    throw new RangeError('retry delays must be finite, with 0 <= baseDelayMs <= maxDelayMs');
  }
  return policy;
}

/** How one submit ended: the SDK reports it to CommonOptions.onSubmit and counts it in submitStats. */
export interface SubmitOutcome {
  /** `contract:Transaction`, e.g. `campaigns:Commit`. */
  readonly transaction: string;
  /** Attempts made, the first included: 1 when it passed (or failed) at once. */
  readonly attempts: number;
  /** True when the transaction committed. */
  readonly ok: boolean;
  /** The last failure's code when not ok. */
  readonly code?: string;
  /** From the first attempt to the end, retry waits included. */
  readonly durationMs: number;
}

/** Every submit of one client so far, added up (CrowdLedgerClient.submitStats). */
export interface SubmitStats {
  /** Submits that ended, either way. */
  readonly submits: number;
  /** Those that committed. */
  readonly succeeded: number;
  /** Attempts made by all of them: attempts ÷ succeeded is what the bench reports. */
  readonly attempts: number;
  /** Attempts that failed with a conflict and were tried again. */
  readonly retried: number;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the
 * policy's attempts are used up; the last error is thrown as it came.
 * `attempt` must throw CrowdLedgerErrors (it is called with the attempt number).
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  environment: RetryEnvironment = REAL,
): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.attempts || !isRetryableError(error)) {
        throw error;
      }
      await environment.sleep(backoffDelay(policy, n, environment.random));
    }
  }
}
