import { goHeaps, type GoHeap } from '../../bench/src/go-heap';
import { isConflict, LoadLoop, summarise } from '../support/load';
import { networkHome, residentMemory, totalMiB, untilPeersAgree } from '../support/nodes';
import { invariantProblems } from '../support/invariants';
import { reader } from './support';

/**
 * The soak (issue #20), run by `make reliability SOAK=1` only: the load loop
 * for SOAK_MINUTES (30 by default) at SOAK_RATE attempts per second (10, about
 * half of what the two cores here commit with the network alone on them),
 * each process's resident memory at start and end, and nothing may fail but
 * read conflicts, which the load does not retry.
 */

const MINUTES = Number(process.env['SOAK_MINUTES'] ?? '30');
const RATE = Number(process.env['SOAK_RATE'] ?? '10');
const SAMPLE_SECONDS = Number(process.env['SOAK_SAMPLE_SECONDS'] ?? '60');

/** One reading of every process: resident MiB, and the Go heap of peers and orderers. */
interface Sample {
  readonly minute: number;
  readonly rss: ReadonlyMap<string, number>;
  readonly heaps: Readonly<Record<string, GoHeap>>;
}

async function sample(from: number): Promise<Sample> {
  const [rss, heaps] = await Promise.all([residentMemory(), goHeaps(networkHome())]);
  return { minute: Math.round((Date.now() - from) / 6_000) / 10, rss, heaps };
}

/** Resident MiB by kind of node (orderer, peer, chaincode service, CA) and the Go heap in use. */
function sampleLine(s: Sample): string {
  const kinds = new Map<string, number>();
  for (const [name, mib] of s.rss) {
    const kind = name.startsWith('cc.') ? 'cc' : (name.split(/[0-9.]/)[0] ?? name);
    kinds.set(kind, (kinds.get(kind) ?? 0) + mib);
  }
  const heap = Object.values(s.heaps).reduce((sum, h) => sum + h.inUseMiB, 0);
  const parts = [...kinds].map(([kind, mib]) => `${kind} ${String(mib)}`).join(', ');
  return `${String(s.minute).padStart(5)} min: ${String(totalMiB(s.rss))} MiB (${parts}); Go heap in use ${String(heap)}`;
}

// Thirty minutes: only when asked for by name.
const soak = process.env['SOAK'] === '1' ? it : it.skip;

soak(
  `runs ${String(MINUTES)} min at ${String(RATE)} tx/s with memory flat and no failure but conflicts`,
  async () => {
    const load = await LoadLoop.prepare();
    try {
      const before = await residentMemory();
      const from = Date.now();
      load.start({ ratePerSecond: RATE, maxInFlight: 4 * RATE });
      const samples: Sample[] = [];
      while (Date.now() - from < MINUTES * 60_000) {
        await new Promise((done) =>
          setTimeout(done, Math.min(SAMPLE_SECONDS * 1_000, from + MINUTES * 60_000 - Date.now())),
        );
        samples.push(await sample(from));
      }
      await load.stop();
      const after = await residentMemory();
      await untilPeersAgree();
      const summary = summarise(load.outcomes, from);
      const rows = [...before].map(
        ([name, mib]) =>
          `${name.padEnd(20)} ${String(mib).padStart(6)} → ${String(after.get(name) ?? 0).padStart(6)} MiB`,
      );
      console.log(
        [
          `soak: ${String(summary.attempts)} attempts, ${String(summary.committed)} committed, p50 ${String(summary.p50Ms)} ms, p95 ${String(summary.p95Ms)} ms`,
          `read conflicts ${String(summary.conflicts)}; other failures: ${JSON.stringify(summary.failures)}`,
          ...rows,
          `${'total'.padEnd(20)} ${String(totalMiB(before)).padStart(6)} → ${String(totalMiB(after)).padStart(6)} MiB`,
          'over the run:',
          ...samples.map(sampleLine),
        ].join('\n'),
      );
      const unexpected = load.outcomes.filter((o) => o.code !== undefined && !isConflict(o));
      expect(unexpected.map((o) => `${o.code ?? ''}: ${o.message ?? ''}`)).toEqual([]);
      const client = await reader();
      try {
        expect(
          await invariantProblems({
            committedTxIds: load.committedTxIds(),
            assets: [load.asset],
            reader: client,
          }),
        ).toEqual([]);
      } finally {
        client.close();
      }
    } finally {
      await load.stop();
      load.close();
    }
  },
  (MINUTES + 15) * 60_000,
);
