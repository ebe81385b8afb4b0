import { liveLine, step } from './progress';

function recorder(isTTY: boolean): { isTTY: boolean; lines: string[]; write(text: string): void } {
  return {
    isTTY,
    lines: [],
    write(text: string) {
      this.lines.push(text);
    },
  };
}

describe('step', () => {
  const clock = (...times: number[]): (() => number) => {
    let i = 0;
    return () => times[Math.min(i++, times.length - 1)] ?? 0;
  };

  it('writes a start line and a ✓ line with the time taken when not on a terminal', async () => {
    const out = recorder(false);
    await expect(step('registering', () => Promise.resolve(42), out, clock(0, 1500))).resolves.toBe(42);
    expect(out.lines).toEqual(['registering …\n', '✓ registering (1.5 s)\n']);
  });

  it('marks a failure ✗ and passes the error on', async () => {
    const out = recorder(false);
    const failure = new Error('CONSENT_SIGNATURE_INVALID: wrong');
    await expect(step('buying', () => Promise.reject(failure), out, clock(0, 300))).rejects.toBe(failure);
    expect(out.lines.at(-1)).toBe('✗ buying (0.3 s)\n');
  });

  it('redraws one line on a terminal and ends it with the mark', async () => {
    const out = recorder(true);
    await step('settling', () => Promise.resolve(), out, clock(0, 0, 2000));
    expect(out.lines[0]).toBe('\r\u001b[K⠙ settling 0.0 s');
    expect(out.lines.at(-1)).toBe('\r\u001b[K✓ settling (2.0 s)\n');
  });
});

describe('liveLine', () => {
  it('redraws one line on a terminal at most four times a second, and clears it at the end', () => {
    const out = recorder(true);
    let t = 0;
    const line = liveLine(out, () => t);
    line.show('block 1');
    t = 100;
    line.show('block 2');
    t = 300;
    line.show('block 3');
    line.milestone('page 1 done');
    line.done();
    line.done();
    expect(out.lines).toEqual([
      '\r\u001b[Kblock 1',
      '\r\u001b[Kblock 3',
      '\r\u001b[Kpage 1 done',
      '\r\u001b[K',
    ]);
  });

  it('writes only the milestones, a line each, when not on a terminal', () => {
    const out = recorder(false);
    const line = liveLine(out, () => 0);
    line.show('block 1');
    line.milestone('page 1 done');
    line.done();
    expect(out.lines).toEqual(['page 1 done\n']);
  });
});
