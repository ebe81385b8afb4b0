import { baselineFigures, phaseFigures, resultRow, type ResultRow } from './report';
import { checkTargets, durationMs, halfPeakRow, targetsTable } from './targets';
import type { Outcome } from './drive';

const ok = (latencyMs: number, attempts = 1): Outcome => ({ startMs: 0, endMs: latencyMs, attempts });

/** A row of `count` successes in one second, each `latencyMs`, against a baseline of `baseTps`. */
function rowOf(
  workload: string,
  inFlight: number,
  count: number,
  latencyMs: number,
  baseTps: number,
): ResultRow {
  const figures = phaseFigures({
    measured: Array.from({ length: count }, () => ok(latencyMs)),
    windowMs: 1000,
  });
  const base = baselineFigures(
    'baseline',
    phaseFigures({ measured: Array.from({ length: baseTps }, () => ok(100)), windowMs: 1000 }),
  );
  return resultRow({ workload, inFlight, figures, baseline: base, processes: {} });
}

const facts = { batchTimeoutMs: 250, memoryGrowthPercent: 12 };

describe('checkTargets', () => {
  it('meets the buys target at 0.8× with nothing failed, and misses it below', () => {
    const met = checkTargets([rowOf('independent-buys', 32, 40, 900, 50)], facts)[0];
    expect(met).toMatchObject({ met: true, reached: '0.8× (40 against 50 tx/s), 0 failed' });
    const missed = checkTargets([rowOf('independent-buys', 32, 39, 900, 50)], facts)[0];
    expect(missed?.met).toBe(false);
  });

  it('reads p99 at the level nearest half the peak, against the batch timeout plus a second', () => {
    const rows = [
      rowOf('independent-buys', 1, 3, 300, 3),
      rowOf('independent-buys', 8, 11, 1_200, 20),
      rowOf('independent-buys', 32, 20, 2_000, 40),
    ];
    expect(halfPeakRow(rows, 'independent-buys')?.inFlight).toBe(8);
    const p99 = checkTargets(rows, facts)[2];
    expect(p99?.target).toContain('1250 ms');
    expect(p99).toMatchObject({ met: true, reached: '1200 ms at 8 in flight (11 tx/s)' });
    const slow = [rowOf('independent-buys', 8, 11, 1_300, 20), rowOf('independent-buys', 32, 20, 2_000, 40)];
    expect(checkTargets(slow, facts)[2]?.met).toBe(false);
  });

  it('extrapolates a smaller import and issuance to 100,000, and says so', () => {
    const base = rowOf('register-import', 4, 200, 1_000, 4);
    const imported = { ...base, extra: { rows: 3_000 } };
    const issued = { ...rowOf('certificate-issuance', 16, 30, 500, 3), extra: { issued: 400 } };
    const [, , , importCheck, , , rate, hundredK] = checkTargets([imported, issued], facts);
    expect(importCheck).toMatchObject({
      met: true,
      reached: '200 rows/s: 8.3 min (extrapolated from 3,000)',
    });
    expect(rate).toMatchObject({ met: true, reached: '30/s over 400' });
    expect(hundredK).toMatchObject({ met: true, reached: '55.6 min (extrapolated from 400)' });
  });

  it('misses the memory target above +20 % and marks what the run did not measure', () => {
    const checks = checkTargets([], { batchTimeoutMs: 250, memoryGrowthPercent: 21 });
    expect(checks.find((c) => c.target.startsWith('network memory'))?.met).toBe(false);
    expect(checks.filter((c) => c.met === null)).toHaveLength(checks.length - 1);
    expect(targetsTable(checks)).toContain('| not in this run | – |');
  });
});

describe('durationMs', () => {
  it('reads the layout batch timeout in ms or s, and nothing else', () => {
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('2s')).toBe(2_000);
    expect(durationMs('1m')).toBeNaN();
  });
});
