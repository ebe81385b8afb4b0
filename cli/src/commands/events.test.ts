import type { CrowdLedgerEvent, EventSubscription } from '@crowdledger/client';
import { eventLine, followEvents } from './events';

const KEY = {
  userId: 'U01',
  keyId: 'a'.repeat(64),
  algorithm: 'ES256',
  publicKey: 'MFkw',
  registeredAt: '2026-01-01T00:00:00.000Z',
} as const;

const event = (blockNumber: bigint, transactionId: string): CrowdLedgerEvent => ({
  blockNumber,
  transactionId,
  name: 'TransactionKeyRegistered',
  payload: KEY,
});

/**
 * A subscription like the SDK's: an event is acknowledged once the next one
 * is asked for; after the last one it waits until closed, unless it ends.
 */
function feed(events: readonly CrowdLedgerEvent[], ends = false) {
  const acked: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const subscription: EventSubscription = {
    async *[Symbol.asyncIterator]() {
      try {
        for (const e of events) {
          if (closed) {
            return;
          }
          yield e;
          acked.push(e.transactionId);
        }
        if (!ends) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (closed) {
              resolve();
            }
          });
        }
      } finally {
        closed = true;
      }
    },
    ack: () => Promise.resolve(),
    close: () => {
      closed = true;
      wake?.();
    },
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
  return { subscription, acked, isClosed: () => closed };
}

describe('followEvents', () => {
  it('stops before the first event at the height it began with, leaving that one unacknowledged', async () => {
    const { subscription, acked, isClosed } = feed([event(3n, 't3'), event(4n, 't4'), event(5n, 't5')]);
    const printed: string[] = [];
    const signal = new AbortController().signal;
    const n = await followEvents(subscription, { height: 5n, idleMs: 10_000, signal }, (e) => {
      printed.push(e.transactionId);
    });
    expect({ n, printed, acked, closed: isClosed() }).toEqual({
      n: 2,
      printed: ['t3', 't4'],
      acked: ['t3', 't4'],
      closed: true,
    });
  });

  it('ends a caught-up feed after idleMs with every printed event acknowledged', async () => {
    const { subscription, acked } = feed([event(3n, 't3'), event(4n, 't4')]);
    const signal = new AbortController().signal;
    const started = Date.now();
    const n = await followEvents(subscription, { height: 100n, idleMs: 50, signal }, () => undefined);
    expect(n).toBe(2);
    expect(acked).toEqual(['t3', 't4']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops on the signal after the event in hand, which counts as handled', async () => {
    const { subscription, acked, isClosed } = feed([event(3n, 't3'), event(4n, 't4')]);
    const stop = new AbortController();
    const n = await followEvents(subscription, { signal: stop.signal }, () => {
      stop.abort();
    });
    expect({ n, acked, closed: isClosed() }).toEqual({ n: 1, acked: ['t3'], closed: true });
  });

  it('waits for events without limits until the signal comes', async () => {
    const { subscription, acked } = feed([event(3n, 't3')]);
    const stop = new AbortController();
    setTimeout(() => {
      stop.abort();
    }, 50);
    await expect(followEvents(subscription, { signal: stop.signal }, () => undefined)).resolves.toBe(1);
    expect(acked).toEqual(['t3']);
  });

  it('returns at once when the feed itself ends', async () => {
    const { subscription } = feed([event(3n, 't3')], true);
    const n = await followEvents(subscription, { signal: new AbortController().signal }, () => undefined);
    expect(n).toBe(1);
  });
});

describe('eventLine', () => {
  it('writes one line of JSON with the block as a number', () => {
    const line = eventLine(event(12n, 'abc'));
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      blockNumber: 12,
      transactionId: 'abc',
      name: 'TransactionKeyRegistered',
      payload: KEY,
    });
  });

  it('keeps a block number past 2^53 exact, as a string', () => {
    const line = eventLine(event(9007199254740993n, 'abc'));
    expect(JSON.parse(line)).toMatchObject({ blockNumber: '9007199254740993' });
  });
});
