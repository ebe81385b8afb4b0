import { setTimeout as sleep } from 'node:timers/promises';
import type { Listing } from '../model';
import { chaincodeRefusal, type FakeCall, FakeContext, json } from '../testing/fake-gateway';
import { type ExpireDueProgress, inLanes } from './expiry';
import { ListingsClient } from './listings';

const MSP = 'Platform2MSP';
const NOW = new Date('2026-03-01T00:00:00.000Z');
// The chaincode expires a listing only from one proposal time window (30 s) after expiresAt.
const PAST = '2026-02-28T23:59:29.000Z';
/** Exactly one window before NOW: due. */
const DUE_AT = '2026-02-28T23:59:30.000Z';
/** Past at NOW, but inside the window: not due yet. */
const FUTURE = '2026-02-28T23:59:30.001Z';
const ASSET = `A${'3'.repeat(32)}`;
const SELLER = `U${'1'.repeat(32)}`;

const id = (n: number): string => `L${String(n).padStart(64, '0')}`;

function listing(n: number, expiresAt: string, changes: Partial<Listing> = {}): Listing {
  return {
    listingId: id(n),
    kind: 'FIXED',
    assetId: ASSET,
    sellerId: SELLER,
    sellerPlatform: 'Platform1MSP',
    units: 10,
    remaining: 10,
    pricePerUnit: 100,
    minPerBuyer: 1,
    maxPerBuyer: 10,
    expiresAt,
    status: 'OPEN',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...changes,
  };
}

/** The open listings, served in pages of `pageSize` by bookmark; Expire answered by `expire`. */
function ledger(
  open: readonly Listing[],
  expire: (call: FakeCall) => Uint8Array | Promise<Uint8Array>,
  pageSize = 2,
): { context: FakeContext; listings: ListingsClient } {
  const context = new FakeContext(MSP, (call) => {
    if (call.transaction !== 'Open') {
      return expire(call);
    }
    const start = Number(call.arguments[1] === '' ? '0' : call.arguments[1]);
    const records = open.slice(start, start + pageSize);
    const next = start + pageSize < open.length ? String(start + pageSize) : '';
    return json({ records, bookmark: next, fetched: records.length });
  });
  return { context, listings: new ListingsClient(context) };
}

const expiredBy = (open: readonly Listing[]) => (call: FakeCall) =>
  json({ ...open.find((l) => l.listingId === call.arguments[0]), status: 'EXPIRED' });

const expireCalls = (context: FakeContext): string[] =>
  context.calls.filter((c) => c.transaction === 'Expire').map((c) => c.arguments[0] ?? '');

describe('listings.expireDue', () => {
  it('expires, page by page, every fixed-price listing past its time and nothing else', async () => {
    const open = [
      listing(1, PAST),
      listing(2, FUTURE),
      listing(3, DUE_AT),
      listing(4, PAST, { kind: 'CAMPAIGN', targetUnits: 5, investors: 0 }),
      listing(5, PAST),
    ];
    const { context, listings } = ledger(open, expiredBy(open));
    const report = await listings.expireDue({ asOf: NOW, pageSize: 2 });
    expect(report).toEqual({
      expired: [id(1), id(3), id(5)],
      skipped: [],
      failed: [],
      unsettledCampaigns: [id(4)],
      pagesRead: 3,
      examined: 5,
    });
    // Each page's expiries happen before the next page is read.
    expect(context.calls.map((c) => [c.transaction, c.arguments[c.transaction === 'Open' ? 1 : 0]])).toEqual([
      ['Open', ''],
      ['Expire', id(1)],
      ['Open', '2'],
      ['Expire', id(3)],
      ['Open', '4'],
      ['Expire', id(5)],
    ]);
    expect(context.calls.filter((c) => c.transaction === 'Open').map((c) => c.arguments[0])).toEqual([
      '2',
      '2',
      '2',
    ]);
  });

  it('judges by the current time when no asOf is given', async () => {
    const open = [listing(1, '2000-01-01T00:00:00.000Z'), listing(2, '2999-01-01T00:00:00.000Z')];
    const { context, listings } = ledger(open, expiredBy(open));
    expect((await listings.expireDue()).expired).toEqual([id(1)]);
    expect(expireCalls(context)).toEqual([id(1)]);
  });

  it('skips listings closed by a race, reports other failures, and goes on with the rest', async () => {
    const open = [listing(1, PAST), listing(2, PAST), listing(3, PAST), listing(4, PAST)];
    const { listings } = ledger(open, (call) => {
      switch (call.arguments[0]) {
        case id(1):
          throw chaincodeRefusal('LISTING_CLOSED', `listing ${id(1)} is CLOSED`);
        case id(2):
          throw chaincodeRefusal('NOT_EXPIRED', `listing ${id(2)} expires at ${FUTURE}, not before`);
        case id(3):
          throw chaincodeRefusal('FORBIDDEN', 'only platform or RegistryMSP admin identities may write');
        default:
          return expiredBy(open)(call);
      }
    });
    const report = await listings.expireDue({ asOf: NOW });
    expect(report.expired).toEqual([id(4)]);
    expect(report.skipped).toEqual([
      { listingId: id(1), code: 'LISTING_CLOSED', sentence: `listing ${id(1)} is CLOSED` },
      {
        listingId: id(2),
        code: 'NOT_EXPIRED',
        sentence: `listing ${id(2)} expires at ${FUTURE}, not before`,
      },
    ]);
    expect(report.failed).toEqual([
      expect.objectContaining({
        listingId: id(3),
        code: 'FORBIDDEN',
        error: expect.objectContaining({ code: 'FORBIDDEN', stage: 'endorse' }) as unknown,
      }),
    ]);
    // The report prints as JSON with its codes.
    expect(JSON.parse(JSON.stringify(report.failed))).toEqual([
      expect.objectContaining({ listingId: id(3), code: 'FORBIDDEN' }),
    ]);
  });

  it('rejects when a page cannot be read, after the expiries of the pages before', async () => {
    const open = [listing(1, PAST), listing(2, PAST), listing(3, PAST)];
    const context = new FakeContext(MSP, (call) => {
      if (call.transaction === 'Open' && call.arguments[1] !== '') {
        throw chaincodeRefusal('INVALID_ARGUMENT', 'bookmark does not belong to this query');
      }
      return call.transaction === 'Open'
        ? json({ records: open.slice(0, 2), bookmark: 'next', fetched: 2 })
        : expiredBy(open)(call);
    });
    await expect(new ListingsClient(context).expireDue({ asOf: NOW })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(expireCalls(context)).toEqual([id(1), id(2)]);
  });

  it('reports progress after each page and each listing', async () => {
    const open = [listing(1, PAST), listing(2, FUTURE), listing(3, PAST)];
    const { listings } = ledger(open, expiredBy(open));
    const seen: ExpireDueProgress[] = [];
    await listings.expireDue({ asOf: NOW, concurrency: 1, onProgress: (p) => seen.push(p) });
    const counts = { skipped: 0, failed: 0 };
    expect(seen).toEqual([
      { pagesRead: 1, examined: 2, due: 1, expired: 0, ...counts },
      { pagesRead: 1, examined: 2, due: 1, expired: 1, ...counts },
      { pagesRead: 2, examined: 3, due: 2, expired: 1, ...counts },
      { pagesRead: 2, examined: 3, due: 2, expired: 2, ...counts },
    ]);
  });

  it('stops when onProgress throws, and rejects with its error', async () => {
    const open = [listing(1, PAST), listing(2, PAST), listing(3, PAST)];
    const { context, listings } = ledger(open, expiredBy(open));
    const stop = new Error('stop');
    const run = listings.expireDue({
      asOf: NOW,
      onProgress: (p) => {
        if (p.expired === 1) {
          throw stop;
        }
      },
    });
    await expect(run).rejects.toBe(stop);
    expect(expireCalls(context)).toEqual([id(1)]);
  });

  it('runs listings of one holding one at a time and others side by side, up to the concurrency', async () => {
    const holdingOf = (n: number): Partial<Listing> => ({ sellerId: `U${String(n % 3).repeat(32)}` });
    const open = Array.from({ length: 9 }, (_, i) => listing(i, PAST, holdingOf(i)));
    const inFlight = new Map<string, number>();
    let most = 0;
    let mostPerHolding = 0;
    const { listings } = ledger(
      open,
      async (call) => {
        const found = open.find((l) => l.listingId === call.arguments[0]);
        const holding = found?.sellerId ?? '';
        inFlight.set(holding, (inFlight.get(holding) ?? 0) + 1);
        mostPerHolding = Math.max(mostPerHolding, inFlight.get(holding) ?? 0);
        most = Math.max(
          most,
          [...inFlight.values()].reduce((a, b) => a + b, 0),
        );
        await sleep(5);
        inFlight.set(holding, (inFlight.get(holding) ?? 0) - 1);
        return json({ ...found, status: 'EXPIRED' });
      },
      9,
    );
    const report = await listings.expireDue({ asOf: NOW, concurrency: 2 });
    expect(report.expired).toEqual(open.map((l) => l.listingId));
    expect(mostPerHolding).toBe(1);
    expect(most).toBe(2);
  });

  it.each([0, 17, 1.5])('refuses concurrency %p before reading anything', async (concurrency) => {
    const { context, listings } = ledger([], () => json({}));
    await expect(listings.expireDue({ concurrency })).rejects.toThrow(RangeError);
    expect(context.calls).toEqual([]);
  });
});

describe('inLanes', () => {
  it('keeps the order within a lane', async () => {
    const done: string[] = [];
    await inLanes(
      ['a1', 'b1', 'a2', 'b2', 'a3'],
      (s) => s.charAt(0),
      4,
      async (s) => {
        await sleep(s === 'a1' ? 10 : 1);
        done.push(s);
      },
    );
    expect(done.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(done.filter((s) => s.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('starts nothing more after a failure and rethrows it once the others finish', async () => {
    const started: string[] = [];
    let finished = 0;
    const boom = new Error('boom');
    const run = inLanes(
      ['a1', 'a2', 'b1', 'b2'],
      (s) => s.charAt(0),
      2,
      async (s) => {
        started.push(s);
        if (s === 'a1') {
          throw boom;
        }
        await sleep(5);
        finished += 1;
      },
    );
    await expect(run).rejects.toBe(boom);
    expect(started).toEqual(['a1', 'b1']);
    expect(finished).toBe(1);
  });

  it('does nothing for no items', async () => {
    const work = jest.fn(() => Promise.resolve());
    await inLanes([], () => '', 3, work);
    expect(work).not.toHaveBeenCalled();
  });
});
