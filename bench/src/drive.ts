import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableError,
  type RetryPolicy,
  toCrowdLedgerError,
} from '@crowdledger/client';

/** One operation as the caller saw it, its times in ms since the run began. */
export interface Outcome {
  readonly startMs: number;
  readonly endMs: number;
  /** Submits or evaluates it took, the first included. */
  readonly attempts: number;
  /** The failure's code; absent when it succeeded. */
  readonly code?: string;
}

/** One operation of a workload: `slot` is the worker (0 … inFlight-1), `index` counts operations. */
export type Operation = (slot: number, index: number) => Promise<unknown>;

/** A phase runs for a time (after a warm-up), or exactly `operations` operations. */
export type PhasePlan =
  | { readonly inFlight: number; readonly warmupMs: number; readonly durationMs: number }
  | { readonly inFlight: number; readonly operations: number };

/** What one phase recorded; `measured` are the outcomes its figures come from. */
export interface PhaseRun {
  readonly all: readonly Outcome[];
  readonly measured: readonly Outcome[];
  readonly windowMs: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** The clock every outcome is timed by: ms since the run began. */
export const clock = {
  origin: performance.now(),
  now(): number {
    return performance.now() - this.origin;
  },
};

/**
 * The failure's code, with "payloads do not match" told apart: the gateway
 * reports it as a failed endorsement, but it is a read conflict caught early
 * (FABRIC-NOTES: under load the registry peer lags).
 */
export function failureCode(error: unknown): string {
  const code = toCrowdLedgerError(error).code;
  return /ProposalResponsePayloads do not match/i.test(inspect(error, { depth: 6 }))
    ? `${code} (payloads differ)`
    : code;
}

/**
 * Runs `attempt` as the SDK's own retry does (the same policy and the same
 * test of what is retryable, equal-jitter backoff) but counting attempts: the
 * bench connects with the SDK's retry off so that it can report them.
 */
export async function withAttempts(
  attempt: () => Promise<unknown>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<{ readonly attempts: number; readonly code?: string; readonly error?: unknown }> {
  for (let n = 1; ; n += 1) {
    try {
      await attempt();
      return { attempts: n };
    } catch (error) {
      if (n >= policy.attempts || !isRetryableError(error)) {
        return { attempts: n, code: failureCode(error), error };
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      await sleep(ceiling / 2 + (ceiling / 2) * Math.random());
    }
  }
}

async function timed(operation: Operation, slot: number, index: number): Promise<Outcome> {
  const startMs = clock.now();
  const { attempts, code } = await withAttempts(() => operation(slot, index));
  return { startMs, endMs: clock.now(), attempts, ...(code === undefined ? {} : { code }) };
}

/** A timed phase's window stretches to this at most while fewer operations than workers have completed in it. */
export const MAX_WINDOW_MS = 30_000;

/**
 * When a timed phase stops starting operations: at the end of its window,
 * or later, up to MAX_WINDOW_MS, while fewer than `inFlight` operations have
 * completed in the window (operations slower than the window itself).
 */
function timedWindow(plan: { inFlight: number; warmupMs: number; durationMs: number }, startMs: number) {
  const from = startMs + plan.warmupMs;
  let completed = 0;
  let closedAt: number | undefined;
  return {
    from,
    completed(outcome: Outcome): void {
      if (outcome.endMs >= from) {
        completed += 1;
      }
    },
    open(): boolean {
      const now = clock.now();
      const open =
        closedAt === undefined &&
        (now < from + plan.durationMs || (completed < plan.inFlight && now < from + MAX_WINDOW_MS));
      if (!open) {
        closedAt ??= now;
      }
      return open;
    },
    closedAt: (): number => closedAt ?? clock.now(),
  };
}

/**
 * Closed loop: `inFlight` workers, each starting its next operation when its
 * last one ends. Timed plans count what completes between the end of the
 * warm-up and the end of the window; operations still running then finish
 * uncounted before the phase returns.
 */
export async function drive(operation: Operation, plan: PhasePlan): Promise<PhaseRun> {
  const startMs = clock.now();
  const all: Outcome[] = [];
  let next = 0;
  const window = 'operations' in plan ? undefined : timedWindow(plan, startMs);
  const more = (): boolean => ('operations' in plan ? next < plan.operations : (window?.open() ?? false));
  await Promise.all(
    Array.from({ length: plan.inFlight }, async (_, slot) => {
      while (more()) {
        const index = next;
        next += 1;
        const outcome = await timed(operation, slot, index);
        window?.completed(outcome);
        all.push(outcome);
      }
    }),
  );
  const endMs = clock.now();
  if (window === undefined) {
    return { all, measured: all, windowMs: endMs - startMs, startMs, endMs };
  }
  const to = window.closedAt();
  const measured = all.filter((o) => o.endMs >= window.from && o.endMs <= to);
  return { all, measured, windowMs: to - window.from, startMs, endMs };
}

/** Runs `work` over `items`, at most `limit` at once, keeping the order of results. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index] as T, index);
      }
    }),
  );
  return results;
}
