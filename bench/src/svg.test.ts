import type { Outcome } from './drive';
import { timelineSvg } from './svg';

describe('timelineSvg', () => {
  it('draws a long run of more outcomes than a call takes arguments (BENCH=long failed there once)', () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 400_000; i++) {
      outcomes.push({ startMs: i, endMs: i + 100, attempts: 1 });
    }
    const phases = [{ label: 'reads@64', startMs: 0, endMs: 400_100, baseline: false }];
    const svg = timelineSvg(outcomes, phases, [{ t: 400_100, mib: 3000 }], 'long run');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('reads@64');
  });
});
