// The targets issues #19 and #23 set, read off one run's rows, so a reader
// sees at once which hold on this machine and by how much, without working
// them out from the table.
import type { ResultRow } from './report';
import { rounded } from './stats';

/** One target: what it asks, what the run reached, and whether that meets it (null: not measured here). */
export interface TargetCheck {
  readonly target: string;
  readonly reached: string;
  readonly met: boolean | null;
}

/** What the targets are read from besides the rows. */
export interface TargetFacts {
  /** The ordering service's batch timeout in milliseconds (the p99 target is this plus 1 s). */
  readonly batchTimeoutMs: number;
  /** Network resident memory growth over the run, in percent. */
  readonly memoryGrowthPercent: number;
}

const IMPORT_ROWS = 100_000;

function row(rows: readonly ResultRow[], workload: string, inFlight?: number): ResultRow | undefined {
  return rows.find((r) => r.workload === workload && (inFlight === undefined || r.inFlight === inFlight));
}

function notMeasured(target: string): TargetCheck {
  return { target, reached: 'not in this run', met: null };
}

function buysAt32(rows: readonly ResultRow[]): TargetCheck {
  const target = 'independent buys at 32 in flight ≥ 0.8× the baseline, nothing failed';
  const buys = row(rows, 'independent-buys', 32);
  if (buys === undefined || buys.ratioToBaseline === null) {
    return notMeasured(target);
  }
  return {
    target,
    reached: `${String(buys.ratioToBaseline)}× (${String(buys.tps)} against ${String(buys.baseline.tps)} tx/s), ${String(buys.failed)} failed`,
    met: buys.ratioToBaseline >= 0.8 && buys.failed === 0,
  };
}

function campaignRush(rows: readonly ResultRow[]): TargetCheck {
  const target = 'campaign rush: every commitment at its first attempt';
  const rush = row(rows, 'campaign-rush');
  if (rush === undefined) {
    return notMeasured(target);
  }
  return {
    target,
    reached: `${String(rush.succeeded)} committed, ${String(rush.failed)} failed, ${String(rush.attemptsPerSuccess)} attempts a commitment`,
    met: rush.failed === 0 && rush.attemptsPerSuccess === 1,
  };
}

/**
 * The level whose throughput is nearest half the workload's peak: levels are
 * fixed (1, 8, 32, 64), so "at half of peak" can only be the closest one.
 */
export function halfPeakRow(rows: readonly ResultRow[], workload: string): ResultRow | undefined {
  const levels = rows.filter((r) => r.workload === workload && r.tps !== null);
  const peak = Math.max(...levels.map((r) => r.tps ?? 0));
  return levels.reduce<ResultRow | undefined>((best, r) => {
    const distance = (x: ResultRow): number => Math.abs((x.tps ?? 0) - peak / 2);
    return best === undefined || distance(r) < distance(best) ? r : best;
  }, undefined);
}

function p99AtHalfPeak(rows: readonly ResultRow[], facts: TargetFacts): TargetCheck {
  const limit = facts.batchTimeoutMs + 1_000;
  const target = `independent buys' p99 at half of peak ≤ batch timeout + 1 s (${String(limit)} ms)`;
  const half = halfPeakRow(rows, 'independent-buys');
  if (half === undefined || half.p99Ms === null) {
    return notMeasured(target);
  }
  return {
    target,
    reached: `${String(half.p99Ms)} ms at ${String(half.inFlight)} in flight (${String(half.tps)} tx/s)`,
    met: half.p99Ms <= limit,
  };
}

/** Minutes for `count` at `perSecond`, said as measured or as extrapolated from a smaller run. */
function minutesFor(count: number, perSecond: number, measuredCount: number): string {
  const minutes = rounded(count / perSecond / 60, 1);
  const how = measuredCount >= count ? 'measured' : `extrapolated from ${measuredCount.toLocaleString('en')}`;
  return `${String(minutes)} min (${how})`;
}

function import100k(rows: readonly ResultRow[]): TargetCheck {
  const target = '100,000-holder register import under 10 minutes';
  const run = row(rows, 'register-import');
  const rowsRead = Number(run?.extra['rows'] ?? 0);
  if (run === undefined || run.tps === null || run.tps <= 0) {
    return notMeasured(target);
  }
  return {
    target,
    reached: `${String(run.tps)} rows/s: ${minutesFor(IMPORT_ROWS, run.tps, rowsRead)}`,
    met: run.failed === 0 && IMPORT_ROWS / run.tps <= 600,
  };
}

function verifier(rows: readonly ResultRow[]): TargetCheck {
  const target = '`ledger verify` ≥ 0.5× node:crypto SHA-256 over the same bytes';
  const verify = row(rows, 'ledger-verify');
  if (verify === undefined || verify.ratioToBaseline === null) {
    return notMeasured(target);
  }
  return { target, reached: `${String(verify.ratioToBaseline)}×`, met: verify.ratioToBaseline >= 0.5 };
}

function issuance(rows: readonly ResultRow[]): TargetCheck[] {
  const rate = '≥ 25 certificates a second end to end';
  const hundredK = '100,000 due holdings issued in under 70 minutes';
  const run = row(rows, 'certificate-issuance');
  if (run === undefined || run.tps === null || run.tps <= 0) {
    return [notMeasured(rate), notMeasured(hundredK)];
  }
  const issued = Number(run.extra['issued'] ?? 0);
  return [
    { target: rate, reached: `${String(run.tps)}/s over ${String(issued)}`, met: run.tps >= 25 },
    {
      target: hundredK,
      reached: minutesFor(IMPORT_ROWS, run.tps, issued),
      met: run.failed === 0 && IMPORT_ROWS / run.tps <= 70 * 60,
    },
  ];
}

function memory(facts: TargetFacts): TargetCheck {
  return {
    target: 'network memory after the run within 20 % of where it started',
    reached: `${facts.memoryGrowthPercent >= 0 ? '+' : ''}${String(facts.memoryGrowthPercent)} %`,
    met: facts.memoryGrowthPercent <= 20,
  };
}

/** Every target the run can speak to, in the issues' order. */
export function checkTargets(rows: readonly ResultRow[], facts: TargetFacts): TargetCheck[] {
  return [
    buysAt32(rows),
    campaignRush(rows),
    p99AtHalfPeak(rows, facts),
    import100k(rows),
    verifier(rows),
    memory(facts),
    ...issuance(rows),
  ];
}

function metCell(met: boolean | null): string {
  return met === null ? '–' : met ? 'yes' : '**no**';
}

/** The targets as a Markdown table. */
export function targetsTable(checks: readonly TargetCheck[]): string {
  return [
    '| target | reached | met |',
    '| --- | --- | --- |',
    ...checks.map((c) => `| ${c.target} | ${c.reached} | ${metCell(c.met)} |`),
  ].join('\n');
}

/** Milliseconds of a Fabric duration such as "250ms" or "2s"; NaN for anything else. */
export function durationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text.trim());
  if (match === null) {
    return Number.NaN;
  }
  const value = Number(match[1]);
  return match[2] === 's' ? value * 1_000 : value;
}
