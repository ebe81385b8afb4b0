import type { BenchConfig } from '../config';
import type { Operation, PhaseRun } from '../drive';
import type { World } from '../world';

/** Figures a workload adds to its rows beyond the common ones. */
export type Extra = Record<string, number | string | null>;

/** A workload ready to run at one level. */
export interface Prepared {
  readonly operation: Operation;
  /** Figures of its own from a phase's outcomes (e.g. holders read per second). */
  readonly extra?: (run: PhaseRun) => Extra;
}

/**
 * Operations driven at each in-flight level, with the baseline chaincode run
 * at the same level just before. `submit` workloads are compared with the
 * baseline's one-read-one-write submit, `evaluate` ones with its one-read
 * evaluate.
 */
export interface LoadWorkload {
  readonly kind: 'load';
  readonly name: string;
  /** One line for bench/README.md: what an operation is. */
  readonly what: string;
  readonly mode: 'submit' | 'evaluate';
  /** Levels to run; the config's when absent. */
  readonly levels?: (config: BenchConfig) => readonly number[];
  /** Exactly this many operations per level instead of a timed phase. */
  readonly operations?: (config: BenchConfig) => number;
  prepare(world: World, inFlight: number): Promise<Prepared>;
}

/** A result a measuring workload reports itself (not a closed loop of operations). */
export interface MeasuredRow {
  readonly inFlight: number;
  /** Operations (blocks, certificates…) per second. */
  readonly tps: number;
  readonly latenciesMs: readonly number[];
  readonly failures: Record<string, number>;
  readonly attemptsPerSuccess: number | null;
  /**
   * Its own comparison, e.g. node:crypto SHA-256 over the same bytes; when
   * absent, the baseline submit at `inFlight`, run just before.
   */
  readonly baseline?: { readonly name: string; readonly ratio: number | null };
  readonly seconds: number;
  readonly extra: Extra;
}

/** A workload that times something as a whole: the ledger verifier, a certificate issuance run. */
export interface MeasuredWorkload {
  readonly kind: 'measured';
  readonly name: string;
  readonly what: string;
  /** Its rows carry a comparison of their own: no baseline chaincode phase before it. */
  readonly ownBaseline?: boolean;
  /** The in-flight level of the baseline submit phase run before it and compared with; 1 when absent. */
  readonly baselineInFlight?: number;
  measure(world: World): Promise<MeasuredRow>;
}

/** Every kind of workload the bench runs. */
export type Workload = LoadWorkload | MeasuredWorkload;
