// The frame every fault scenario runs in: the load runs before, during and
// after the fault; afterwards the load stops, every peer reaches one height,
// and the invariants (test/support/invariants.ts) must hold. Each scenario's
// figures go into one report, printed and written as JSON for
// docs/RELIABILITY.md.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrowdLedger, type CrowdLedgerClient } from '../../client/src';
import { invariantProblems, type TrackedAsset } from '../support/invariants';
import { hold, isConflict, type LoadLoop, type LoadSummary, type Outcome, summarise } from '../support/load';
import { networkHome, repoDir, untilPeersAgree } from '../support/nodes';

/** What a scenario reports besides the load's figures. */
export interface Observation {
  /** What happened, in a sentence with the figures. */
  readonly observed: string;
  /** Milliseconds from the end of the fault (restart, resume) to full recovery, as the scenario defines it. */
  readonly recoveryMs: number;
}

export interface ScenarioResult extends Observation {
  readonly scenario: string;
  readonly injection: string;
  readonly expected: string;
  readonly command: string;
  readonly load: LoadSummary;
  /** The load in the 10 s after recovery: it must commit again. */
  readonly after: LoadSummary;
  readonly peersAgreeMs: number;
  /** One message per failure code seen after recovery, to tell what still failed. */
  readonly afterSamples: readonly string[];
  readonly problems: readonly string[];
}

export const results: ScenarioResult[] = [];

/** How to run one scenario alone. */
export function reproduce(name: string): string {
  return `make reliability ONLY='${name}'`;
}

export interface ScenarioSpec {
  readonly scenario: string;
  readonly injection: string;
  readonly expected: string;
  readonly inject: () => Promise<Observation>;
}

/** A reader that may see every asset, holding and listing: the registry's auditor. */
export function reader(): Promise<CrowdLedgerClient> {
  return CrowdLedger.connect({
    profile: join(networkHome(), 'profiles', 'registry.json'),
    identity: 'auditor',
  });
}

export interface ScenarioContext {
  readonly load: LoadLoop;
  /** Transactions committed outside the load loop that must be everywhere too. */
  readonly extraTxIds: string[];
  readonly extraAssets: TrackedAsset[];
}

/** Runs the fault with the load on, then checks every invariant; returns the result it also records. */
export async function runScenario(context: ScenarioContext, spec: ScenarioSpec): Promise<ScenarioResult> {
  const { load } = context;
  const from = Date.now();
  load.start();
  await hold(5);
  const observation = await spec.inject();
  const recovered = Date.now();
  load.start();
  await hold(10);
  await load.stop();
  const { ms: peersAgreeMs } = await untilPeersAgree();
  const client = await reader();
  let problems: string[];
  try {
    problems = await invariantProblems({
      committedTxIds: [...load.committedTxIds(), ...context.extraTxIds],
      assets: [load.asset, ...context.extraAssets],
      reader: client,
    });
  } finally {
    client.close();
  }
  const result: ScenarioResult = {
    scenario: spec.scenario,
    injection: spec.injection,
    expected: spec.expected,
    command: reproduce(spec.scenario),
    ...observation,
    load: summarise(load.outcomes, from, recovered),
    after: summarise(load.outcomes, recovered),
    peersAgreeMs,
    afterSamples: samples(load.outcomes.filter((o) => o.startedAt >= recovered)),
    problems,
  };
  results.push(result);
  console.log(JSON.stringify(result, null, 2));
  return result;
}

function samples(outcomes: readonly Outcome[]): string[] {
  const byCode = new Map<string, string>();
  for (const o of outcomes) {
    if (o.code !== undefined && !isConflict(o) && !byCode.has(o.code)) {
      byCode.set(o.code, `${o.platform} ${o.kind}: ${o.message ?? o.code}`);
    }
  }
  return [...byCode.values()];
}

/** Writes every result to the report file (`CROWDLEDGER_RELIABILITY_REPORT`, default reliability-report.json). */
export async function writeReport(): Promise<void> {
  const path = process.env['CROWDLEDGER_RELIABILITY_REPORT'] ?? join(repoDir, 'reliability-report.json');
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`reliability report: ${path}`);
}

/** The scenario runs when no ONLY filter is set, or the filter is part of its name. */
export function selected(name: string): boolean {
  const only = process.env['ONLY'] ?? '';
  return only === '' || name.includes(only);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Failures by code, as `CODE×n, …`, read conflicts last, or `none`. */
export function failureList(summary: LoadSummary): string {
  const entries = Object.entries(summary.failures).map(([code, n]) => `${code}×${String(n)}`);
  if (summary.conflicts > 0) {
    entries.push(`read conflicts×${String(summary.conflicts)}`);
  }
  return entries.length === 0 ? 'none' : entries.join(', ');
}
