import { setTimeout as sleep } from 'node:timers/promises';
import { Batcher, Semaphore } from './pipeline';

describe('Semaphore', () => {
  it('lets at most its limit run at once, and every one of them runs', async () => {
    const semaphore = new Semaphore(3);
    let running = 0;
    let most = 0;
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        semaphore.run(async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(i % 4);
          running -= 1;
          return i;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(semaphore.held).toBe(0);
  });

  it('gives the place back when the work fails', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(semaphore.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('refuses a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('Batcher', () => {
  function batcher(size: number, lingerMs = 10_000, inFlight = 1) {
    const sent: number[][] = [];
    let sending = 0;
    let most = 0;
    const b = new Batcher<number, string>({
      size,
      lingerMs,
      inFlight,
      send: async (items) => {
        sending += 1;
        most = Math.max(most, sending);
        sent.push([...items]);
        await sleep(5);
        sending -= 1;
        if (items.includes(13)) {
          throw new Error('batch with 13 refused');
        }
        return items.map((i) => `r${String(i)}`);
      },
    });
    return { b, sent, most: () => most };
  }

  it('sends a full batch at once and gives each item its own result', async () => {
    const { b, sent } = batcher(3);
    const results = await Promise.all([1, 2, 3].map((i) => b.add(i)));
    expect(results).toEqual(['r1', 'r2', 'r3']);
    expect(sent).toEqual([[1, 2, 3]]);
  });

  it('sends a batch that is not full after it waited lingerMs', async () => {
    const { b, sent } = batcher(50, 20);
    const started = Date.now();
    await expect(b.add(7)).resolves.toBe('r7');
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(sent).toEqual([[7]]);
  });

  it('fails only the items of a batch whose send failed', async () => {
    const { b } = batcher(2);
    const outcomes = await Promise.allSettled([11, 12, 13, 14].map((i) => b.add(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
  });

  it('keeps at most inFlight batches being sent', async () => {
    const { b, sent, most } = batcher(2, 10_000, 2);
    await Promise.allSettled(Array.from({ length: 12 }, (_, i) => b.add(100 + i)));
    expect(sent).toHaveLength(6);
    expect(most()).toBe(2);
  });
});
