import { parseGoHeap } from './go-heap';
import type { Outcome } from './drive';
import {
  baselineFigures,
  cpuMsPerOp,
  cpuSummary,
  markdownTable,
  memoryTable,
  phaseFigures,
  resultRow,
} from './report';

const ok = (startMs: number, latencyMs: number, attempts = 1): Outcome => ({
  startMs,
  endMs: startMs + latencyMs,
  attempts,
});
const failed = (code: string, attempts: number): Outcome => ({ startMs: 0, endMs: 10, attempts, code });

describe('phaseFigures', () => {
  it('counts successes per second of the window and takes latency from successes only', () => {
    const measured = [ok(0, 100), ok(0, 200), ok(0, 300, 3), failed('MVCC_READ_CONFLICT', 5)];
    const figures = phaseFigures({ measured, windowMs: 2000 });
    expect(figures.succeeded).toBe(3);
    expect(figures.tps).toBe(1.5);
    expect(figures.p50Ms).toBe(200);
    expect(figures.p99Ms).toBe(300);
    expect(figures.failed).toBe(1);
    expect(figures.failures).toEqual({ MVCC_READ_CONFLICT: 1 });
    // 1 + 1 + 3 attempts that succeeded and 5 that gave up, over 3 successes.
    expect(figures.attemptsPerSuccess).toBe(3.33);
  });

  it('has no tps, latency or attempts per success when nothing succeeded', () => {
    const figures = phaseFigures({ measured: [failed('ENDORSE_FAILED', 1)], windowMs: 1000 });
    expect(figures.tps).toBe(0);
    expect(figures.p50Ms).toBeNull();
    expect(figures.attemptsPerSuccess).toBeNull();
  });
});

describe('resultRow', () => {
  it('divides throughput and latency by the baseline', () => {
    const base = baselineFigures(
      'baseline',
      phaseFigures({ measured: [ok(0, 100), ok(0, 100)], windowMs: 1000 }),
    );
    const figures = phaseFigures({ measured: [ok(0, 400)], windowMs: 1000 });
    const row = resultRow({ workload: 'buys', inFlight: 8, figures, baseline: base, processes: {} });
    expect(row.ratioToBaseline).toBe(0.5);
    expect(row.p99RatioToBaseline).toBe(4);
    expect(row.baseline.tps).toBe(2);
  });

  it('has no ratio when the baseline got nothing through', () => {
    const base = baselineFigures('baseline', phaseFigures({ measured: [], windowMs: 1000 }));
    const figures = phaseFigures({ measured: [ok(0, 1)], windowMs: 1000 });
    const row = resultRow({ workload: 'buys', inFlight: 8, figures, baseline: base, processes: {} });
    expect(row.ratioToBaseline).toBeNull();
  });
});

describe('Markdown', () => {
  it('writes one line per row with failures by code and the busiest process', () => {
    const base = baselineFigures('baseline', phaseFigures({ measured: [ok(0, 100)], windowMs: 1000 }));
    const figures = phaseFigures({ measured: [ok(0, 100), failed('ENDORSE_FAILED', 2)], windowMs: 1000 });
    const processes = {
      'peer0.registry': { cpuPercent: 80, rssMiB: 200 },
      'cc.peer0.registry': { cpuPercent: 40, rssMiB: 150 },
      generator: { cpuPercent: 30, rssMiB: 120 },
    };
    const table = markdownTable([
      resultRow({ workload: 'hot-listing', inFlight: 32, figures, baseline: base, processes }),
    ]).split('\n');
    expect(table).toHaveLength(3);
    expect(table[2]).toBe(
      '| hot-listing | 32 | 1 | 100 | 100 | 100 | 1 ENDORSE_FAILED | 3 | 1 | 1 | 1 | 120 / 30 | 1200 | peer0.registry 80 |',
    );
    expect(cpuSummary({})).toEqual({ network: 0, generator: 0, busiest: '–' });
  });

  it('gives each process its growth and the network its total', () => {
    const table = memoryTable({
      before: { 'peer0.registry': 100, 'cc.peer0.registry': 50 },
      after: { 'peer0.registry': 130, 'cc.peer0.registry': 50 },
      heapsBefore: { 'peer0.registry': { inUseMiB: 20, idleKeptMiB: 5 } },
      heapsAfter: { 'peer0.registry': { inUseMiB: 60, idleKeptMiB: 25 } },
    });
    expect(table).toContain('| peer0.registry | 100 | 130 | 30 % | 20 → 60 (25 idle) |');
    expect(table).toContain('| cc.peer0.registry | 50 | 50 | 0 % | – |');
    expect(table).toContain('| **network total** | 150 | 180 | 20 % |  |');
  });
});

describe('parseGoHeap', () => {
  it('reads heap in use and the idle spans not yet released from a Prometheus page', () => {
    const page = [
      '# HELP go_memstats_heap_inuse_bytes Number of heap bytes that are in use.',
      'go_memstats_heap_inuse_bytes 6.291456e+07',
      'go_memstats_heap_idle_bytes 4.194304e+07',
      'go_memstats_heap_released_bytes 1.048576e+07',
    ].join('\n');
    expect(parseGoHeap(page)).toEqual({ inUseMiB: 60, idleKeptMiB: 30 });
    expect(parseGoHeap('process_resident_memory_bytes 1')).toBeUndefined();
  });
});

describe('cpuMsPerOp', () => {
  it("divides the network's CPU (the generator left out) by the operations a second", () => {
    const processes = {
      peer: { cpuPercent: 60, rssMiB: 100 },
      cc: { cpuPercent: 20, rssMiB: 90 },
      generator: { cpuPercent: 50, rssMiB: 80 },
    };
    // 80 % of a core is 800 ms of CPU a second, over 40 operations.
    expect(cpuMsPerOp(processes, 40)).toBe(20);
    const row = resultRow({
      workload: 'buys',
      inFlight: 8,
      figures: phaseFigures({ measured: [ok(0, 1)], windowMs: 1000 }),
      baseline: baselineFigures('baseline', phaseFigures({ measured: [ok(0, 1)], windowMs: 1000 })),
      processes,
    });
    expect(row.networkCpuMsPerOp).toBe(800);
    expect(markdownTable([row])).toContain('| 80 / 50 | 800 |');
  });

  it('has no figure when nothing succeeded or nothing was measured', () => {
    expect(cpuMsPerOp({ peer: { cpuPercent: 50, rssMiB: 1 } }, 0)).toBeNull();
    expect(cpuMsPerOp({}, 10)).toBeNull();
  });
});
