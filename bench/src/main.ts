// make bench: the load benchmark (bench/README.md). Runs against the network
// in $CROWDLEDGER_HOME, which bench/run.sh brings up, with the baseline
// chaincode deployed beside the register's, and tears down after.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchConfig, recordsResults } from './config';
import { clock } from './drive';
import { networkRss, snapshot, watchedProcesses } from './processes';
import { markdownTable, type MemoryFacts, memoryTable, type ResultRow } from './report';
import { goHeaps } from './go-heap';
import { Runner } from './runner';
import { checkTargets, durationMs, targetsTable } from './targets';
import { timelineSvg } from './svg';
import { WORKLOADS } from './workloads';
import type { Workload } from './workloads/workload';
import { World } from './world';

const BENCH_DIR = join(__dirname, '..');
const START = '<!-- results:start -->';
const END = '<!-- results:end -->';

interface RunFacts {
  readonly command: string;
  readonly date: string;
  readonly seconds: number;
  readonly load: readonly [number, number];
  readonly memory: MemoryFacts;
  readonly targets: string;
}

function machine(): string {
  const cores = cpus();
  const gib = Math.round(totalmem() / 2 ** 30);
  return `${String(cores.length)} × ${cores[0]?.model ?? 'unknown CPU'}, ${String(gib)} GiB RAM, ${type()} ${release()}, Node ${process.version}`;
}

function totalMiB(rss: Record<string, number>): number {
  return Math.round(Object.values(rss).reduce((a, b) => a + b, 0));
}

function memoryGrowthPercent(memory: MemoryFacts): number {
  const before = totalMiB(memory.before);
  return Math.round(((totalMiB(memory.after) - before) / before) * 100);
}

/** The network's batch timeout from its layout, so the p99 target follows the setting in force. */
async function batchTimeoutMs(home: string): Promise<number> {
  const layout = JSON.parse(await readFile(join(home, 'layout.json'), 'utf8')) as { batchTimeout?: unknown };
  return durationMs(String(layout.batchTimeout));
}

async function targetsOf(home: string, rows: readonly ResultRow[], memory: MemoryFacts): Promise<string> {
  const facts = {
    batchTimeoutMs: await batchTimeoutMs(home),
    memoryGrowthPercent: memoryGrowthPercent(memory),
  };
  return targetsTable(checkTargets(rows, facts));
}

function memorySentence(memory: MemoryFacts): string {
  const growth = memoryGrowthPercent(memory);
  return `Network resident memory: ${String(totalMiB(memory.before))} MiB before the first workload, ${String(totalMiB(memory.after))} MiB after the last (${growth >= 0 ? '+' : ''}${String(growth)} %).`;
}

function resultsSection(rows: readonly ResultRow[], facts: RunFacts): string {
  return [
    START,
    '',
    `Run ${facts.date} with \`${facts.command}\` on ${machine()}: ${String(Math.round(facts.seconds))} s of workloads (network up, deploy and teardown not included). 1-minute load average ${facts.load[0].toFixed(1)} at the start, ${facts.load[1].toFixed(1)} at the end.`,
    '',
    markdownTable(rows),
    '',
    'The targets of issues #19 and #23, as this run reached them (extrapolated figures say so):',
    '',
    facts.targets,
    '',
    'What one operation is, per workload:',
    '',
    ...WORKLOADS.map((w) => `- \`${w.name}\`: ${w.what}`),
    '',
    memorySentence(facts.memory),
    '',
    memoryTable(facts.memory),
    '',
    '![throughput and latency over the run](results/timeline.svg)',
    '',
    END,
  ].join('\n');
}

async function writeOutputs(runner: Runner, rows: readonly ResultRow[], facts: RunFacts): Promise<void> {
  await writeFile(join(BENCH_DIR, 'results', 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const title = `CrowdLedger bench, ${facts.date}: ${facts.command}`;
  await writeFile(
    join(BENCH_DIR, 'results', 'timeline.svg'),
    timelineSvg(runner.outcomes, runner.phases, runner.memory, title),
  );
  const readmePath = join(BENCH_DIR, 'README.md');
  const readme = await readFile(readmePath, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) {
    throw new Error(`bench/README.md lacks the ${START} … ${END} markers`);
  }
  await writeFile(
    readmePath,
    readme.slice(0, from) + resultsSection(rows, facts) + readme.slice(to + END.length),
  );
}

/** The workload names BENCH_ONLY gives (comma-separated); empty for all. */
function only(): readonly string[] {
  return (process.env['BENCH_ONLY'] ?? '').split(',').filter((name) => name !== '');
}

/** Only the workloads BENCH_ONLY names, or all; a name it does not know stops the run before the network work. */
function chosen(): readonly Workload[] {
  const names = only();
  const unknown = names.filter((name) => !WORKLOADS.some((w) => w.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_ONLY names no workload ${unknown.join(', ')}; they are ${WORKLOADS.map((w) => w.name).join(', ')}`,
    );
  }
  return names.length === 0 ? WORKLOADS : WORKLOADS.filter((w) => names.includes(w.name));
}

async function runAll(runner: Runner, world: World, workloads: readonly Workload[]): Promise<void> {
  try {
    for (const workload of workloads) {
      console.error(`==> ${workload.name}`);
      await runner.run(workload);
    }
  } finally {
    world.close();
  }
}

async function main(): Promise<void> {
  const home = process.env['CROWDLEDGER_HOME'];
  if (home === undefined) {
    throw new Error('CROWDLEDGER_HOME must name the bench network (bench/run.sh sets it)');
  }
  const config = benchConfig(process.env['BENCH']);
  const workloads = chosen();
  const processes = watchedProcesses(home);
  const world = await World.open(home, config);
  const load0 = loadavg()[0] ?? 0;
  const started = clock.now();
  const before = networkRss(snapshot(processes));
  const heapsBefore = await goHeaps(home);
  const runner = new Runner(world, processes);
  await runAll(runner, world, workloads);
  // A moment for in-flight commits and garbage collection to settle.
  await sleep(2_000);
  const after = networkRss(snapshot(processes));
  const heapsAfter = await goHeaps(home);
  const rows = [...runner.baselineRows(), ...runner.rows];
  const memory = { before, after, heapsBefore, heapsAfter };
  const targets = await targetsOf(home, rows, memory);
  console.log(markdownTable(rows));
  console.log(`\n${targets}`);
  console.log(`\n${memorySentence(memory)}\n\n${memoryTable(memory)}`);
  const warm = process.env['BENCH_WARM'] === '1';
  if (!recordsResults(config.profile, only(), warm)) {
    console.error(
      `bench: ${config.profile}, BENCH_ONLY or BENCH_WARM run: figures printed only, bench/results kept`,
    );
    return;
  }
  await writeOutputs(runner, rows, {
    command: process.env['BENCH_COMMAND'] ?? `BENCH=${config.profile} bash bench/run.sh`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    seconds: (clock.now() - started) / 1000,
    load: [load0, loadavg()[0] ?? 0],
    memory,
    targets,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
