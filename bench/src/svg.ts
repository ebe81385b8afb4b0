import type { Outcome } from './drive';
import { percentile } from './stats';

/** A span of the run to mark on the plot: a workload or baseline phase. */
export interface PlotPhase {
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly baseline: boolean;
}

/** The network's total resident memory at a moment of the run. */
export interface MemoryPoint {
  readonly t: number;
  readonly mib: number;
}

interface Bucket {
  readonly t: number;
  readonly ok: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
}

const WIDTH = 1400;
const LEFT = 60;
const RIGHT = 20;
const TOP = 110;
const PANEL = 220;
const GAP = 50;
const MEMORY_PANEL = 120;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Completions, failures and latency percentiles per bucket of `bucketMs`, by completion time. */
export function buckets(outcomes: readonly Outcome[], bucketMs: number): Bucket[] {
  const groups = new Map<number, Outcome[]>();
  for (const o of outcomes) {
    const key = Math.floor(o.endMs / bucketMs);
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, group]) => {
      const latencies = group
        .filter((o) => o.code === undefined)
        .map((o) => o.endMs - o.startMs)
        .sort((a, b) => a - b);
      return {
        t: key * bucketMs,
        ok: latencies.length / (bucketMs / 1000),
        failed: (group.length - latencies.length) / (bucketMs / 1000),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
      };
    });
}

/** Consecutive buckets, split where a second had no completion at all (setup between phases). */
function runs(series: readonly Bucket[]): Bucket[][] {
  const groups: Bucket[][] = [];
  for (const b of series) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (last !== undefined && previous !== undefined && b.t - previous.t <= 1000) {
      last.push(b);
    } else {
      groups.push([b]);
    }
  }
  return groups;
}

function polyline(
  series: readonly Bucket[],
  point: (b: Bucket) => readonly [number, number] | undefined,
  colour: string,
): string {
  return runs(series)
    .map((group) => {
      const points = group.flatMap((b) => {
        const p = point(b);
        return p === undefined ? [] : [`${p[0].toFixed(1)},${p[1].toFixed(1)}`];
      });
      return `<polyline fill="none" stroke="${colour}" stroke-width="1.2" points="${points.join(' ')}"/>`;
    })
    .join('\n');
}

function phaseBands(phases: readonly PlotPhase[], x: (ms: number) => number, height: number): string[] {
  return phases.map((p) => {
    const x0 = x(p.startMs);
    const w = Math.max(1, x(p.endMs) - x0);
    const fill = p.baseline ? '#eeeeee' : '#dde8f6';
    const label = `<text transform="translate(${(x0 + w / 2 + 3).toFixed(1)},${String(TOP - 4)}) rotate(-90)" font-size="9">${escape(p.label)}</text>`;
    return `<rect x="${x0.toFixed(1)}" y="${String(TOP)}" width="${w.toFixed(1)}" height="${String(height)}" fill="${fill}"/>${label}`;
  });
}

function axisLabels(ticks: readonly number[], y: (v: number) => number, unit: string): string[] {
  return ticks.map(
    (v) =>
      `<line x1="${String(LEFT)}" x2="${String(WIDTH - RIGHT)}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#bbb" stroke-dasharray="2,3"/>` +
      `<text x="${String(LEFT - 4)}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${String(v)}${unit}</text>`,
  );
}

interface Scales {
  readonly endMs: number;
  readonly x: (ms: number) => number;
  readonly yTps: (v: number) => number;
  readonly yLat: (ms: number) => number;
  readonly tpsTicks: readonly number[];
  readonly latTicks: readonly number[];
  readonly latTop: number;
}

function scales(series: readonly Bucket[], endMs: number): Scales {
  const maxTps = Math.max(10, ...series.map((b) => b.ok + b.failed));
  const latTop = TOP + PANEL + GAP;
  const maxLat = Math.max(1000, ...series.map((b) => b.p99).filter(Number.isFinite));
  const decades = Math.ceil(Math.log10(maxLat));
  return {
    endMs,
    x: (ms) => LEFT + (ms / endMs) * (WIDTH - LEFT - RIGHT),
    yTps: (v) => TOP + PANEL - (v / maxTps) * PANEL,
    yLat: (ms) => latTop + PANEL - (Math.log10(Math.max(1, ms)) / decades) * PANEL,
    tpsTicks: [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxTps)),
    latTicks: Array.from({ length: decades + 1 }, (_, i) => 10 ** i),
    latTop,
  };
}

function lines(series: readonly Bucket[], s: Scales): string[] {
  // Each bucket is drawn at its middle.
  const x = (b: Bucket): number => s.x(b.t + 500);
  const latency = (v: number, b: Bucket): readonly [number, number] | undefined =>
    Number.isFinite(v) ? [x(b), s.yLat(v)] : undefined;
  return [
    polyline(series, (b) => [x(b), s.yTps(b.ok)], '#1f5fbf'),
    polyline(series, (b) => [x(b), s.yTps(b.failed)], '#d62728'),
    polyline(series, (b) => latency(b.p50, b), '#2ca02c'),
    polyline(series, (b) => latency(b.p99, b), '#ff7f0e'),
  ];
}

/** Total network RSS at the end of each phase, in a panel of its own below the latency. */
function memoryPanel(memory: readonly MemoryPoint[], s: Scales): string[] {
  const top = s.latTop + PANEL + GAP;
  const max = Math.max(100, ...memory.map((m) => m.mib));
  const y = (mib: number): number => top + MEMORY_PANEL - (mib / max) * MEMORY_PANEL;
  const points = memory.map((m) => `${s.x(m.t).toFixed(1)},${y(m.mib).toFixed(1)}`).join(' ');
  const ticks = [0, 0.5, 1].map((f) => Math.round(f * max));
  return [
    ...axisLabels(ticks, y, ' MiB'),
    `<polyline fill="none" stroke="#7b3294" stroke-width="1.5" points="${points}"/>`,
    `<text x="${String(LEFT)}" y="${String(top + MEMORY_PANEL + 14)}" font-size="11">network resident memory (all nodes, generator left out) at the end of each phase</text>`,
  ];
}

/**
 * Throughput (completions per second, failures in red) and latency (p50 and
 * p99 per second, log scale) over the whole run, with each phase shaded
 * (grey: the baseline run before it), and the network's memory below.
 * Plain SVG, no library.
 */
export function timelineSvg(
  outcomes: readonly Outcome[],
  phases: readonly PlotPhase[],
  memory: readonly MemoryPoint[],
  title: string,
): string {
  // A loop, not Math.max(...): a long run has more outcomes than a call takes arguments.
  let endMs = 1;
  for (const item of [...phases, ...outcomes]) endMs = Math.max(endMs, item.endMs);
  const series = buckets(outcomes, 1000);
  const s = scales(series, endMs);
  const caption = (y: number, text: string): string =>
    `<text x="${String(LEFT)}" y="${String(y)}" font-size="11">${escape(text)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(s.latTop + PANEL + GAP + MEMORY_PANEL + 40)}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${String(LEFT)}" y="16" font-size="13" font-weight="bold">${escape(title)}</text>`,
    ...phaseBands(phases, s.x, s.latTop + PANEL - TOP),
    ...axisLabels(s.tpsTicks, s.yTps, ''),
    ...axisLabels(s.latTicks, s.yLat, ' ms'),
    caption(TOP + PANEL + 14, 'completions per second (blue), failures per second (red)'),
    caption(
      s.latTop + PANEL + 14,
      `latency per second: p50 (green), p99 (orange), log scale; x: ${String(Math.round(endMs / 1000))} s from the generator's start, setup included`,
    ),
    ...lines(series, s),
    ...memoryPanel(memory, s),
    '</svg>',
    '',
  ].join('\n');
}
