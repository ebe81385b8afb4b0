import type { PhaseRun } from './drive';
import type { GoHeap } from './go-heap';
import { GENERATOR, type ProcessUsage } from './processes';
import { countBy, ratio, rounded, summarize } from './stats';

/** A phase's figures, before they are compared with anything. */
export interface Figures {
  readonly succeeded: number;
  readonly failed: number;
  readonly failures: Record<string, number>;
  readonly tps: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly attemptsPerSuccess: number | null;
  readonly seconds: number;
}

/** What a row is compared with: the baseline run just before it at the same level, or its own. */
export interface BaselineFigures {
  readonly name: string;
  readonly tps: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** One object per workload and level in bench/results/latest.json. */
export interface ResultRow extends Figures {
  readonly workload: string;
  readonly inFlight: number;
  /** tps ÷ the baseline's tps (or the workload's own comparison, named in `baseline`). */
  readonly ratioToBaseline: number | null;
  readonly p50RatioToBaseline: number | null;
  readonly p99RatioToBaseline: number | null;
  readonly baseline: BaselineFigures;
  /** CPU during the phase (100 = one core) and resident memory at its end, per process. */
  readonly processes: Record<string, ProcessUsage>;
  /** CPU time the network's processes (the generator left out) spent per successful operation. */
  readonly networkCpuMsPerOp: number | null;
  readonly extra: Record<string, number | string | null>;
}

/** Figures of a phase's measured outcomes: failures by code, attempts per success over every attempt made. */
export function phaseFigures(run: Pick<PhaseRun, 'measured' | 'windowMs'>): Figures {
  const ok = run.measured.filter((o) => o.code === undefined);
  const codes = run.measured.flatMap((o) => (o.code === undefined ? [] : [o.code]));
  const latency = summarize(ok.map((o) => o.endMs - o.startMs));
  const attempts = run.measured.reduce((sum, o) => sum + o.attempts, 0);
  const seconds = run.windowMs / 1000;
  return {
    succeeded: ok.length,
    failed: codes.length,
    failures: countBy(codes),
    tps: rounded(seconds > 0 ? ok.length / seconds : Number.NaN),
    p50Ms: rounded(latency.p50, 0),
    p95Ms: rounded(latency.p95, 0),
    p99Ms: rounded(latency.p99, 0),
    attemptsPerSuccess: rounded(ok.length > 0 ? attempts / ok.length : Number.NaN, 2),
    seconds: rounded(seconds, 2) ?? 0,
  };
}

function ratioOf(value: number | null, base: number | null): number | null {
  return value === null || base === null ? null : rounded(ratio(value, base), 2);
}

/** What a row is made of. */
export interface RowParts {
  readonly workload: string;
  readonly inFlight: number;
  readonly figures: Figures;
  readonly baseline: BaselineFigures;
  readonly processes: Record<string, ProcessUsage>;
  readonly extra?: Record<string, number | string | null>;
}

/** A row: the figures, their ratios to the baseline, and the processes' usage. */
export function resultRow(parts: RowParts): ResultRow {
  const { figures, baseline } = parts;
  return {
    workload: parts.workload,
    inFlight: parts.inFlight,
    ...figures,
    ratioToBaseline: ratioOf(figures.tps, baseline.tps),
    p50RatioToBaseline: ratioOf(figures.p50Ms, baseline.p50Ms),
    p99RatioToBaseline: ratioOf(figures.p99Ms, baseline.p99Ms),
    baseline,
    processes: parts.processes,
    networkCpuMsPerOp: cpuMsPerOp(parts.processes, figures.tps),
    extra: parts.extra ?? {},
  };
}

/** CPU of the network's processes together (100 = one core), the generator left out. */
function networkCpuPercent(processes: Record<string, ProcessUsage>): number {
  return Object.entries(processes)
    .filter(([name]) => name !== GENERATOR)
    .reduce((sum, [, usage]) => sum + usage.cpuPercent, 0);
}

/**
 * The network's CPU per successful operation: what one operation costs on
 * this machine, whatever the number in flight. 100 % of a core for a
 * second is 1,000 ms.
 */
export function cpuMsPerOp(processes: Record<string, ProcessUsage>, tps: number | null): number | null {
  const network = networkCpuPercent(processes);
  return tps === null || tps <= 0 || network <= 0 ? null : rounded((network * 10) / tps, 1);
}

/** The baseline's figures to compare with. */
export function baselineFigures(name: string, figures: Figures): BaselineFigures {
  return { name, tps: figures.tps, p50Ms: figures.p50Ms, p99Ms: figures.p99Ms };
}

function cell(value: number | null | undefined, suffix = ''): string {
  return value === null || value === undefined ? '–' : `${String(value)}${suffix}`;
}

function failureCell(row: ResultRow): string {
  const codes = Object.entries(row.failures).map(([code, n]) => `${String(n)} ${code}`);
  return codes.length === 0 ? '0' : codes.join(', ');
}

/** CPU of the network's processes together, the generator's, and the busiest process. */
export function cpuSummary(processes: Record<string, ProcessUsage>): {
  network: number;
  generator: number;
  busiest: string;
} {
  const entries = Object.entries(processes);
  const network = networkCpuPercent(processes);
  const [name, usage] = entries.reduce<[string, ProcessUsage] | [undefined, undefined]>(
    (best, entry) => (best[1] === undefined || entry[1].cpuPercent > best[1].cpuPercent ? entry : best),
    [undefined, undefined],
  );
  return {
    network: Math.round(network),
    generator: Math.round(processes[GENERATOR]?.cpuPercent ?? 0),
    busiest: name === undefined ? '–' : `${name} ${String(Math.round(usage.cpuPercent))}`,
  };
}

const HEADER =
  '| workload | in flight | tx/s | p50 ms | p95 ms | p99 ms | failed | attempts/success | baseline tx/s | × baseline tx/s | × baseline p99 | CPU % network / generator | network CPU ms/op | busiest process (CPU %) |';

/** The results as a Markdown table, one line per row. */
export function markdownTable(rows: readonly ResultRow[]): string {
  const lines = rows.map((row) => {
    const cpu = cpuSummary(row.processes);
    return `| ${row.workload} | ${String(row.inFlight)} | ${cell(row.tps)} | ${cell(row.p50Ms)} | ${cell(row.p95Ms)} | ${cell(row.p99Ms)} | ${failureCell(row)} | ${cell(row.attemptsPerSuccess)} | ${cell(row.baseline.tps)} | ${cell(row.ratioToBaseline)} | ${cell(row.p99RatioToBaseline)} | ${String(cpu.network)} / ${String(cpu.generator)} | ${cell(row.networkCpuMsPerOp)} | ${cpu.busiest} |`;
  });
  return [HEADER, `|${' --- |'.repeat(14)}`, ...lines].join('\n');
}

/** Network memory at the start and the end: resident memory per process, and Go heaps where there are any. */
export interface MemoryFacts {
  readonly before: Record<string, number>;
  readonly after: Record<string, number>;
  readonly heapsBefore: Record<string, GoHeap>;
  readonly heapsAfter: Record<string, GoHeap>;
}

function heapCell(before: GoHeap | undefined, after: GoHeap | undefined): string {
  return before === undefined || after === undefined
    ? '–'
    : `${String(before.inUseMiB)} → ${String(after.inUseMiB)} (${String(after.idleKeptMiB)} idle)`;
}

/** Resident memory of each network process at the start and the end, with the totals. */
export function memoryTable(memory: MemoryFacts): string {
  const { before, after } = memory;
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const total = (rss: Record<string, number>): number => Object.values(rss).reduce((a, b) => a + b, 0);
  const line = (name: string, a: number | undefined, b: number | undefined, heap: string): string => {
    const growth = a === undefined || b === undefined || a === 0 ? null : rounded(((b - a) / a) * 100, 0);
    return `| ${name} | ${cell(rounded(a ?? null, 0))} | ${cell(rounded(b ?? null, 0))} | ${cell(growth, ' %')} | ${heap} |`;
  };
  return [
    '| process | RSS before (MiB) | RSS after (MiB) | growth | Go heap in use before → after (idle kept after), MiB |',
    '| --- | --- | --- | --- | --- |',
    ...names.map((name) =>
      line(name, before[name], after[name], heapCell(memory.heapsBefore[name], memory.heapsAfter[name])),
    ),
    line('**network total**', total(before), total(after), ''),
  ].join('\n');
}
