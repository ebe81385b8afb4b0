import { setTimeout as sleep } from 'node:timers/promises';
import type { CertificateBatchResult, CertificateRecord } from '@crowdledger/protocol';
import { CaErrorCode, FabricCaError } from '../ca/errors';
import type { EnrolledCertificate, IssueDueProgress } from './certificates';
import type { EventPosition } from './event-types';
import type { DueHolding } from './issuance';
import type { PendingHolding } from './issuance-retries';
import {
  type BatchEntry,
  type FeedEntry,
  IssueDueRun,
  type IssueDueSettings,
  type IssueDueSteps,
  type WorkFeed,
} from './issue-due';

const ASSET = `A${'a'.repeat(32)}`;
const holder = (n: number): string => `U${n.toString(16).padStart(32, '0')}`;
const key = (h: DueHolding): string => `${h.assetId}/${h.holderId}`;
const due = (...ns: number[]): DueHolding[] => ns.map((n) => ({ assetId: ASSET, holderId: holder(n) }));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

function event(block: number, issue: DueHolding[]): FeedEntry {
  return { blockNumber: BigInt(block), transactionId: `tx${String(block)}`, work: { issue, revoke: [] } };
}

function record(entry: BatchEntry): CertificateRecord {
  return {
    assetId: entry.assetId,
    holderId: entry.holderId,
    enrollmentId: `holder-${'0'.repeat(40)}`,
    serial: entry.certificatePem,
    issuer: 'CN=asset-ca',
    fingerprint: 'f'.repeat(64),
    notBefore: 'T',
    notAfter: 'T',
    status: 'ACTIVE',
    recordedAt: 'T',
  };
}

const SETTINGS: IssueDueSettings = {
  concurrency: 3,
  batchSize: 4,
  batchesInFlight: 2,
  lingerMs: 2,
  listLimit: Number.POSITIVE_INFINITY,
  lastBlock: undefined,
};

/** One process: how many steps it may take before it is killed. */
class Life {
  steps = 0;
  #kill: () => void = () => undefined;
  readonly killed = new Promise<void>((resolve) => {
    this.#kill = resolve;
  });

  constructor(readonly budget = Number.POSITIVE_INFINITY) {}

  /** Counts a step; past the budget, the process is dead and never takes another. */
  async step(): Promise<void> {
    this.steps += 1;
    if (this.steps > this.budget) {
      this.#kill();
      await new Promise(() => undefined);
    }
  }
}

/**
 * A ledger, an asset CA, a folder of key files, a checkpoint and a pending
 * store that outlive a run, as they outlive a killed process. Each run lives
 * a {@link Life}: once its budget is spent, it hangs forever where it
 * stands — a kill -9 — while the world stays.
 */
class World {
  readonly ledger = new Map<string, CertificateRecord>();
  readonly files = new Map<string, { certificate: string; key: string }>();
  readonly registrations = new Map<string, number>();
  readonly log: string[] = [];
  checkpoint: EventPosition | undefined;
  pending: PendingHolding[] = [];
  life = new Life();
  #serial = 0;

  constructor(readonly events: readonly FeedEntry[]) {}

  /** One step of the current run; a dead run never gets past it. */
  gate(what: string): Promise<void> {
    return this.#gate(this.life, what);
  }

  async #gate(life: Life, what: string): Promise<void> {
    await life.step();
    this.log.push(what);
    await sleep(0);
  }

  feed(): WorkFeed {
    const life = this.life;
    let next =
      this.checkpoint === undefined
        ? 0
        : this.events.findIndex((e) => e.transactionId === this.checkpoint?.transactionId) + 1;
    return {
      next: () => Promise.resolve(this.events[next++]),
      checkpoint: async (position) => {
        await this.#gate(life, `checkpoint ${position.transactionId}`);
        this.checkpoint = position;
      },
    };
  }

  runSteps(): IssueDueSteps {
    const life = this.life;
    const gate = (what: string): Promise<void> => this.#gate(life, what);
    return {
      check: async (h) => {
        await gate(`check ${key(h)}`);
        return this.ledger.has(key(h)) ? 'ALREADY_ISSUED' : undefined;
      },
      enroll: async (h) => {
        await gate(`enroll ${key(h)}`);
        // As issueHolderCertificate: the HMAC-derived ID is registered once, then reused.
        if (!this.registrations.has(key(h))) {
          this.registrations.set(key(h), 1);
        }
        this.#serial += 1;
        return enrolled(h, `CERT-${String(this.#serial)}`, `KEY-${String(this.#serial)}`);
      },
      recordBatch: async (items) => {
        await gate(`record ${String(items.length)}`);
        const result = this.#recordBatch(items);
        await gate('recorded');
        return result;
      },
      revokeAtCa: () => Promise.resolve([]),
      savePending: async (pending) => {
        await gate('save pending');
        this.pending = [...pending];
      },
      onEnrolled: async (c) => {
        await gate(`write ${key(c)}`);
        this.files.set(key(c), { certificate: c.certificatePem, key: c.privateKeyPem });
      },
    };
  }

  /** As the chaincode: another certificate is refused while one is active. */
  #recordBatch(items: readonly BatchEntry[]): CertificateBatchResult {
    const recorded: CertificateRecord[] = [];
    const refused: CertificateBatchResult['refused'][number][] = [];
    items.forEach((item, index) => {
      const active = this.ledger.get(key(item));
      if (active !== undefined && active.serial !== item.certificatePem) {
        const sentence = `the certificate of ${key(item)} is still active`;
        refused.push({
          index,
          assetId: item.assetId,
          holderId: item.holderId,
          code: 'CERTIFICATE_INVALID',
          sentence,
        });
        return;
      }
      const made = active ?? record(item);
      this.ledger.set(key(item), made);
      recorded.push(made);
    });
    return { recorded, refused };
  }
}

function enrolled(h: DueHolding, certificatePem: string, privateKeyPem: string): EnrolledCertificate {
  return {
    ...h,
    enrollmentId: `holder-${'0'.repeat(40)}`,
    certificatePem,
    privateKeyPem,
    caChainPem: 'CHAIN',
    pkcs12: () => Promise.reject(new Error('not in this test')),
  };
}

function runIn(
  world: World,
  settings: Partial<IssueDueSettings> = {},
  steps: Partial<IssueDueSteps> = {},
): IssueDueRun {
  return new IssueDueRun({ ...world.runSteps(), ...steps }, { ...SETTINGS, ...settings }, world.pending);
}

describe('IssueDueRun: batches and bounds', () => {
  it('records in batches of batchSize, each certificate written before the batch that records it is sent', async () => {
    const world = new World([event(1, due(...range(0, 10)))]);
    // Batches wait for more (lingerMs) until full, or until the run ends.
    const run = runIn(world, { lingerMs: 10_000 });
    await run.run(world.feed());
    const batches = world.log.filter((l) => l.startsWith('record ')).map((l) => Number(l.slice(7)));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(10);
    expect(batches).toEqual([4, 4, 2]);
    for (const h of due(...range(0, 10))) {
      const written = world.log.indexOf(`write ${key(h)}`);
      const sent = world.log.findIndex((l, i) => i > written && l.startsWith('record '));
      expect(written).toBeGreaterThanOrEqual(0);
      expect(sent).toBeGreaterThan(written);
    }
    expect(run.report().counts).toEqual({ issued: 10, revoked: 0, skipped: 0, failed: 0, recovered: 0 });
    expect(world.checkpoint?.transactionId).toBe('tx1');
  });

  it('never has more than `concurrency` holdings at the CA, and does use them all', async () => {
    const world = new World([event(1, due(...range(0, 30)))]);
    let atCa = 0;
    let most = 0;
    const run = runIn(
      world,
      { concurrency: 5, batchSize: 10 },
      {
        enroll: async (h) => {
          atCa += 1;
          most = Math.max(most, atCa);
          await sleep(3);
          atCa -= 1;
          return enrolled(h, `C-${h.holderId}`, 'K');
        },
      },
    );
    await run.run(world.feed());
    expect(most).toBe(5);
    expect(run.report().counts.issued).toBe(30);
  });

  it('keeps no more than the window in flight, however long the feed (memory stays flat)', async () => {
    const events = range(0, 300).map((n) => event(n + 1, due(n)));
    const world = new World(events);
    const seen: IssueDueProgress[] = [];
    const settings = { concurrency: 4, batchSize: 5, listLimit: 0 };
    const run = runIn(world, settings, { onProgress: (p) => seen.push(p) });
    await run.run(world.feed());
    expect(Math.max(...seen.map((p) => p.inFlight))).toBeLessThanOrEqual(4 + 5 * SETTINGS.batchesInFlight);
    const report = run.report();
    expect(report.counts.issued).toBe(300);
    expect([report.issued, report.skipped, report.revoked]).toEqual([[], [], []]);
    expect(report.eventsRead).toBe(300);
  });

  it('checkpoints events in order, each only once its holdings and all before it are done', async () => {
    const slow = holder(0);
    const world = new World([event(1, due(0)), event(2, due(1)), event(3, [])]);
    const run = runIn(
      world,
      {},
      {
        check: async (h) => {
          await sleep(h.holderId === slow ? 60 : 0);
          world.log.push(`checked ${h.holderId}`);
          return undefined;
        },
      },
    );
    await run.run(world.feed());
    const checkpoints = world.log.filter((l) => l.startsWith('checkpoint'));
    expect(checkpoints).toEqual(['checkpoint tx1', 'checkpoint tx2', 'checkpoint tx3']);
    // tx2's holding was done long before tx1's: still it waited.
    expect(world.log.indexOf(`checked ${holder(1)}`)).toBeLessThan(world.log.indexOf(`checked ${slow}`));
    expect(world.log.indexOf('checkpoint tx2')).toBeGreaterThan(world.log.indexOf(`checked ${slow}`));
  });

  it('works one holding named by two events once, then finds it issued', async () => {
    const world = new World([event(1, due(0, 1)), event(2, due(0))]);
    const run = runIn(world);
    await run.run(world.feed());
    expect(
      world.log.filter((l) => l === `enroll ${key(due(0)[0] ?? { assetId: '', holderId: '' })}`),
    ).toHaveLength(1);
    expect(run.report().skipped).toEqual([{ ...due(0)[0], reason: 'ALREADY_ISSUED' }]);
  });
});

describe('IssueDueRun: failures', () => {
  it('keeps an item the ledger refused pending with its code, records the rest, and checkpoints the event', async () => {
    const world = new World([event(1, due(0, 1, 2))]);
    world.ledger.set(
      key({ assetId: ASSET, holderId: holder(1) }),
      record({ assetId: ASSET, holderId: holder(1), certificatePem: 'OLD' }),
    );
    const run = runIn(world, {}, { check: () => Promise.resolve(undefined) });
    await run.run(world.feed());
    const report = run.report();
    expect(report.failed.map((f) => [f.holderId, f.error.code])).toEqual([
      [holder(1), 'CERTIFICATE_INVALID'],
    ]);
    expect(report.counts.issued).toBe(2);
    expect(world.pending.map((p) => [p.holderId, p.code, p.attempts])).toEqual([
      [holder(1), 'CERTIFICATE_INVALID', 1],
    ]);
    expect(world.log.indexOf('save pending')).toBeLessThan(world.log.indexOf('checkpoint tx1'));
  });

  it('stops at an outage: that event and every later one stay unread for the next run, nothing kept pending', async () => {
    const world = new World([event(1, due(0)), event(2, due(1)), event(3, due(2))]);
    const run = runIn(
      world,
      { concurrency: 1 },
      {
        enroll: (h) =>
          h.holderId === holder(1)
            ? Promise.reject(
                new FabricCaError(CaErrorCode.unreachable, 'connection refused', { operation: 'register' }),
              )
            : Promise.resolve(enrolled(h, `C-${h.holderId}`, 'K')),
      },
    );
    await run.run(world.feed());
    const report = run.report();
    expect(report.stopped?.code).toBe('CA_UNREACHABLE');
    expect(report.failed).toEqual([]);
    expect(world.checkpoint?.transactionId).toBe('tx1');
    expect(world.pending).toEqual([]);
  });

  it('retries what an earlier run left pending first, and counts it recovered', async () => {
    const world = new World([event(1, due(5))]);
    world.pending = [
      {
        action: 'issue',
        ...due(9)[0],
        code: 'CA_REFUSED',
        sentence: 'x',
        failedAt: 'T',
        attempts: 2,
      } as PendingHolding,
    ];
    const run = runIn(world);
    await run.run(world.feed());
    expect(run.report().recovered).toBe(1);
    const enrolledAt = (n: number): number => world.log.indexOf(`enroll ${ASSET}/${holder(n)}`);
    expect(enrolledAt(9)).toBeGreaterThanOrEqual(0);
    expect(enrolledAt(9)).toBeLessThan(enrolledAt(5));
    expect(run.pending()).toEqual([]);
  });
});

describe('IssueDueRun: killed at any step, then run again', () => {
  const events = [event(1, due(...range(0, 7))), event(2, due(7, 8, 9)), event(3, due(3, 10))];
  const holdings = due(...range(0, 11));

  async function killedAt(budget: number): Promise<World> {
    const world = new World(events);
    world.life = new Life(budget);
    await Promise.race([runIn(world).run(world.feed()), world.life.killed]);
    // The process is gone; what it left on disk, at the CA and on the ledger stays.
    world.life = new Life();
    return world;
  }

  /** Every holding recorded on the ledger has the key of its recorded certificate on disk. */
  function keysOnDisk(world: World): string[] {
    return [...world.ledger]
      .filter(([holding, rec]) => world.files.get(holding)?.certificate !== rec.serial)
      .map(([h]) => h);
  }

  it('leaves every holding recorded with the key on disk, or still due; a rerun finishes the job exactly', async () => {
    const clean = new World(events);
    await runIn(clean).run(clean.feed());
    const total = clean.life.steps;
    expect(total).toBeGreaterThan(30);
    for (let budget = 1; budget <= total; budget += 1) {
      const world = await killedAt(budget);
      expect(keysOnDisk(world)).toEqual([]);
      const rerun = runIn(world);
      await rerun.run(world.feed());
      expect(rerun.report().failed).toEqual([]);
      expect(holdings.filter((h) => world.ledger.get(key(h))?.status !== 'ACTIVE')).toEqual([]);
      expect(keysOnDisk(world)).toEqual([]);
      expect(holdings.map((h) => world.registrations.get(key(h)))).toEqual(holdings.map(() => 1));
      expect([world.checkpoint?.transactionId, world.pending]).toEqual(['tx3', []]);
    }
  });
});
