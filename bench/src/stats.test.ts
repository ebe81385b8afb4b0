import { countBy, percentile, ratio, rounded, summarize } from './stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the value at the rank, not an interpolation', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
  });

  it('gives the only value for one sample and NaN for none', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses a percentile outside (0, 100]', () => {
    expect(() => percentile(hundred, 0)).toThrow(RangeError);
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
    expect(() => percentile(hundred, Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts a copy and leaves the input as it was', () => {
    const latencies = [300, 100, 200, 1000];
    expect(summarize(latencies)).toEqual({ count: 4, p50: 200, p95: 1000, p99: 1000, max: 1000 });
    expect(latencies).toEqual([300, 100, 200, 1000]);
  });

  it('puts the tail in p99 only once enough samples lie below it', () => {
    const latencies = [...Array.from({ length: 990 }, () => 10), ...Array.from({ length: 10 }, () => 5000)];
    const summary = summarize(latencies);
    expect(summary.p95).toBe(10);
    expect(summary.p99).toBe(10);
    expect(summary.max).toBe(5000);
    expect(summarize([...latencies, 5000]).p99).toBe(5000);
  });
});

describe('ratio, rounded and countBy', () => {
  it('has no ratio to a zero or missing base', () => {
    expect(ratio(30, 60)).toBe(0.5);
    expect(ratio(30, 0)).toBeNull();
    expect(ratio(Number.NaN, 60)).toBeNull();
  });

  it('rounds, and turns what JSON cannot hold into null', () => {
    expect(rounded(2.345, 2)).toBe(2.35);
    expect(rounded(12.34)).toBe(12.3);
    expect(rounded(Number.NaN)).toBeNull();
    expect(rounded(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('counts codes in key order', () => {
    expect(Object.entries(countBy(['MVCC_READ_CONFLICT', 'A', 'MVCC_READ_CONFLICT']))).toEqual([
      ['A', 1],
      ['MVCC_READ_CONFLICT', 2],
    ]);
  });
});
