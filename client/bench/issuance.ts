// Certificate issuance at scale (#23) on the running network in
// $CROWDLEDGER_HOME. Build first, then:
//
//   node client/bench/issuance.ts [due holdings] [concurrency] [batch size]
//   e.g. node client/bench/issuance.ts 1000 16 50
//
// Registers that many Platform1 users and assets of up to 1,000 holders
// each (untimed), then times certificates.issueDue over them end to end:
// checks, registration and enrollment at the asset CA, key and certificate
// files written (as the CLI writes them), RecordBatch on the ledger. Prints
// one JSON line: certificates/s, the machine's load average, and the CPU
// each process of the network (and this one) used during the run, in % of
// one core, to show what bounds the rate, and this process's resident memory.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrowdLedger, type CrowdLedgerClient } from '../dist/index.js';

const home = process.env['CROWDLEDGER_HOME'] ?? '.crowdledger';
const [holders = 1000, concurrency = 16, batchSize = 50] = process.argv.slice(2).map(Number);
const run = Date.now().toString(36);
const MAX_HOLDERS = 1000;
const TICKS = 100; // USER_HZ

/** Runs `each` on every item, `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      results[i] = await each(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** Every node's pid by name, and this process. */
function processes(): Map<string, number> {
  const nodes = join(home, 'nodes');
  const found = new Map<string, number>([['bench (SDK)', process.pid]]);
  for (const name of readdirSync(nodes)) {
    try {
      found.set(name, Number(readFileSync(join(nodes, name, 'pid'), 'utf8').trim()));
    } catch {
      // Not a node folder.
    }
  }
  return found;
}

/** utime + stime of a process and its threads, in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function prepare(client: CrowdLedgerClient): Promise<bigint> {
  const people = Array.from({ length: holders }, (_, i) => ({
    platformRef: `bench-issuance-${run}-${String(i)}`,
    name: `压测 ${String(i)}`,
    idType: 'PASSPORT' as const,
    idNumber: `E${String(10_000_000 + i)}`,
  }));
  const users = await pool(people, 32, (person) => client.users.register(person));
  const startBlock = await client.chainHeight();
  for (let a = 0; a * MAX_HOLDERS < users.length; a += 1) {
    const part = users
      .slice(a * MAX_HOLDERS, (a + 1) * MAX_HOLDERS)
      .map((u) => ({ userId: u.userId, units: 1 }));
    await client.assets.register({
      assetRef: `bench-issuance-${run}-${String(a)}`,
      attributes: {
        name: '压测',
        category: 'FUND',
        description: 'issuance bench',
        currency: 'CNY',
        documents: [],
      },
      rights: {
        voting: { enabled: false, votesPerUnit: 0 },
        dividend: { enabled: false, policy: '' },
        otherTerms: [],
      },
      totalUnits: part.length,
      holders: part,
    });
  }
  return startBlock;
}

/** CPU used by each process since `before`, in % of one core over `seconds`. */
function cpuSince(
  pids: Map<string, number>,
  before: Map<string, number>,
  seconds: number,
): Record<string, number> {
  return Object.fromEntries(
    [...pids].map(([name, pid]) => [
      name,
      Math.round((100 * (cpuTicks(pid) - (before.get(name) ?? 0))) / TICKS / seconds),
    ]),
  );
}

/** issueDue over the due holdings from `startBlock`, files written as the CLI writes them. */
function issue(client: CrowdLedgerClient, dir: string, startBlock: bigint) {
  return client.certificates.issueDue({
    checkpoint: join(dir, 'checkpoint'),
    startBlock,
    idleMs: 1_000,
    concurrency,
    batchSize,
    listLimit: 0,
    onEnrolled: async (c) => {
      const folder = join(dir, c.assetId, c.holderId);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'key.pem'), c.privateKeyPem, { mode: 0o600 });
      await writeFile(join(folder, 'cert.pem'), c.certificatePem);
    },
  });
}

async function main(): Promise<void> {
  const client = await CrowdLedger.connect({
    profile: join(home, 'profiles', 'platform1.json'),
    identity: 'app',
  });
  const dir = await mkdtemp(join(tmpdir(), 'crowdledger-issuance-bench-'));
  try {
    const startBlock = await prepare(client);
    const pids = processes();
    const before = new Map([...pids].map(([name, pid]) => [name, cpuTicks(pid)]));
    const loadBefore = loadavg()[0];
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(Math.round(process.memoryUsage().rss / 2 ** 20)), 1_000);
    const started = performance.now();
    const report = await issue(client, dir, startBlock).finally(() => {
      clearInterval(sampler);
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      JSON.stringify({
        holders,
        concurrency,
        batchSize,
        counts: report.counts,
        seconds: Number(seconds.toFixed(1)),
        perSecond: Number((report.counts.issued / seconds).toFixed(1)),
        loadBefore,
        loadAfter: loadavg()[0],
        cpuPercentOfOneCore: cpuSince(pids, before, seconds),
        // This process's resident MiB over the run: first, middle, last, most.
        rssMiB: [rss[0], rss[Math.floor(rss.length / 2)], rss.at(-1), Math.max(...rss)],
        stopped: report.stopped?.message,
      }),
    );
  } finally {
    client.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
