import { isConflict, LoadLoop, summarise } from '../support/load';
import { residentMemory, totalMiB, untilPeersAgree } from '../support/nodes';
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
      await new Promise((done) => setTimeout(done, MINUTES * 60_000));
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
