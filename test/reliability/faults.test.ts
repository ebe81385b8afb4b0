import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CrowdLedgerClient } from '../../client/src';
import { hold, LoadLoop, summarise } from '../support/load';
import {
  allPids,
  heightOf,
  killNode,
  networkUp,
  peerHeights,
  probeAll,
  raftLeader,
  repoDir,
  signalNode,
  startNode,
  stopNode,
  until,
  untilPeerReaches,
  untilPeersAgree,
} from '../support/nodes';
import {
  failureList,
  type Observation,
  reader,
  results,
  runScenario,
  type ScenarioContext,
  type ScenarioSpec,
  seconds,
  selected,
  writeReport,
} from './support';

/**
 * Faults under load (issue #20), run by `make reliability` only: each
 * scenario injects one fault while the load loop registers users and buys
 * from both platforms, recovers, and then every invariant must hold — every
 * commit the client saw is on every peer, units are conserved, no escrow is
 * negative, `ledger verify` passes on every node. docs/RELIABILITY.md lists
 * what each run observed.
 */

const context: ScenarioContext = { load: undefined as unknown as LoadLoop, extraTxIds: [], extraAssets: [] };

beforeAll(async () => {
  const load = await LoadLoop.prepare();
  Object.assign(context, { load });
}, 600_000);

afterAll(async () => {
  await context.load.stop();
  context.load.close();
  await writeReport();
});

/** Ends a scenario with every node running again, whatever it left behind. */
async function everyNodeRunning(): Promise<void> {
  if ((await probeAll()).some((s) => !s.alive)) {
    await networkUp();
  }
}

function scenario(spec: ScenarioSpec, timeoutMs = 600_000): void {
  const run = selected(spec.scenario) && process.env['SOAK'] !== '1' ? it : it.skip;
  run(
    spec.scenario,
    async () => {
      try {
        const result = await runScenario(context, spec);
        expect(result.problems).toEqual([]);
        expect(result.after.committed).toBeGreaterThan(0);
      } finally {
        await everyNodeRunning();
      }
    },
    timeoutMs,
  );
}

/** Milliseconds until a transaction started after `since` commits. */
function untilCommitAfter(since: number, timeoutMs = 120_000): Promise<number> {
  return until(
    'a commit',
    () => Promise.resolve(context.load.outcomes.some((o) => o.startedAt >= since && o.code === undefined)),
    timeoutMs,
  );
}

/** Kills an orderer, keeps the load on for 10 s, restarts it; recovery = until it has every block again. */
async function killOrderer(name: string, label: string): Promise<Observation> {
  const killedAt = Date.now();
  await killNode(name);
  const firstCommitMs = await untilCommitAfter(killedAt);
  await hold(10);
  const during = summarise(context.load.outcomes, killedAt);
  const newLeader = await raftLeader();
  const restarted = Date.now();
  await startNode(name);
  const target = (await heightOf(await otherOrderer(name))) ?? 0;
  const recoveryMs = Math.max(await untilOrdererReaches(name, target), Date.now() - restarted);
  return {
    observed:
      `${label} ${name} killed; first commit after the kill ${seconds(firstCommitMs)} later; leader now ` +
      `${String(newLeader)}; during 10 s: ${String(during.committed)} of ${String(during.attempts)} committed ` +
      `(failures: ${failureList(during)}); restarted, it had every block again ${seconds(recoveryMs)} after its start`,
    recoveryMs,
  };
}

async function otherOrderer(name: string): Promise<string> {
  const names = (await probeAll())
    .filter((s) => s.node.role === 'orderer' && s.alive)
    .map((s) => s.node.name);
  return names.find((n) => n !== name) ?? name;
}

async function untilOrdererReaches(name: string, height: number): Promise<number> {
  return until(`${name} at height ${String(height)}`, async () => ((await heightOf(name)) ?? -1) >= height);
}

async function follower(): Promise<string> {
  const leader = await raftLeader();
  const orderers = (await probeAll()).filter((s) => s.node.role === 'orderer').map((s) => s.node.name);
  return orderers.find((n) => n !== leader) ?? 'orderer1.registry';
}

scenario({
  scenario: 'kill -9 one orderer (a follower)',
  injection: 'kill -9 of a Raft follower, restarted 10 s later with network/node.sh start',
  expected: 'writes go on (2 of 3 orderers keep quorum); the restarted orderer catches up',
  inject: async () => killOrderer(await follower(), 'follower'),
});

scenario({
  scenario: 'kill -9 the Raft leader',
  injection: 'kill -9 of the orderer that leads the channel, restarted 10 s later',
  expected:
    'a new leader within a few election timeouts (ElectionTick 10 × 500 ms); writes resume; the old leader catches up',
  inject: async () => {
    const leader = await raftLeader();
    if (leader === null) {
      throw new Error('no Raft leader to kill');
    }
    return killOrderer(leader, 'leader');
  },
});

scenario({
  scenario: 'stop two of three orderers',
  injection: 'network/node.sh stop (SIGTERM) of two orderers for 15 s, then one started, then the other',
  expected:
    'no quorum: submissions fail within their deadline with a clear error; writes resume when one returns',
  inject: async () => {
    const orderers = (await probeAll()).filter((s) => s.node.role === 'orderer').map((s) => s.node.name);
    const [a = '', b = ''] = orderers;
    const stoppedAt = Date.now();
    await Promise.all([stopNode(a), stopNode(b)]);
    await hold(15);
    const startedAt = Date.now();
    const during = summarise(context.load.outcomes, stoppedAt + 1000, startedAt - 1000);
    const sample = context.load.outcomes.find((o) => o.startedAt > stoppedAt + 1000 && o.code !== undefined);
    await startNode(a);
    const recoveryMs = await untilCommitAfter(startedAt);
    await startNode(b);
    const slowest = Math.max(
      ...context.load.outcomes
        .filter((o) => o.startedAt > stoppedAt + 1000 && o.startedAt < startedAt - 1000)
        .map((o) => o.ms),
    );
    expect(during.committed).toBe(0);
    return {
      observed:
        `${a} and ${b} stopped: ${String(during.attempts)} attempts, ${String(during.committed)} committed, ` +
        `failures ${failureList(during)}, each within ${seconds(slowest)} (e.g. "${sample?.message ?? ''}"); ` +
        `${a} started: first commit ${seconds(recoveryMs)} later`,
      recoveryMs,
    };
  },
});

/** Kills two peers at once for 10 s; recovery = until every peer has one height after their restart. */
scenario({
  scenario: 'kill -9 a registry peer and a platform peer',
  injection: 'kill -9 of peer0.registry and peer0.platform1 together, both restarted 10 s later',
  expected:
    "Platform2's writes go on through peer1.registry; Platform1's fail (its only peer is down) until it returns; both catch up",
  inject: async () => {
    const killedAt = Date.now();
    await Promise.all([killNode('peer0.registry'), killNode('peer0.platform1')]);
    await hold(10);
    const during = summarise(
      context.load.outcomes.filter((o) => o.platform === 'platform2'),
      killedAt,
    );
    const duringOne = summarise(
      context.load.outcomes.filter((o) => o.platform === 'platform1'),
      killedAt,
    );
    const restarted = Date.now();
    await Promise.all([startNode('peer0.registry'), startNode('peer0.platform1')]);
    const target = Math.max(...[...(await peerHeights()).values()].map((h) => h ?? 0));
    const [registryMs, platformMs] = await Promise.all([
      untilPeerReaches('peer0.registry', target),
      untilPeerReaches('peer0.platform1', target),
    ]);
    const elapsed = Date.now() - restarted;
    return {
      observed:
        `while down: Platform2 ${String(during.committed)} of ${String(during.attempts)} committed (failures ${failureList(during)}), ` +
        `Platform1 ${String(duringOne.committed)} of ${String(duringOne.attempts)} (failures ${failureList(duringOne)}); ` +
        `restarted: peer0.registry reached height ${String(target)} ${seconds(registryMs)} after its start, ` +
        `peer0.platform1 ${seconds(platformMs)}`,
      recoveryMs: Math.max(registryMs, platformMs, elapsed),
    };
  },
});

scenario({
  scenario: 'SIGSTOP a registry peer for 30 s',
  injection: 'kill -STOP peer1.registry, kill -CONT 30 s later',
  expected:
    'the gateways endorse with peer0.registry after at most one 5 s endorsement timeout; the frozen peer catches up after SIGCONT',
  inject: async () => {
    const frozenAt = Date.now();
    await signalNode('peer1.registry', 'SIGSTOP');
    try {
      await hold(30);
    } finally {
      await signalNode('peer1.registry', 'SIGCONT');
    }
    const during = summarise(context.load.outcomes, frozenAt);
    const resumed = Date.now();
    const target = Math.max(...[...(await peerHeights()).values()].map((h) => h ?? 0));
    const catchUpMs = await untilPeerReaches('peer1.registry', target);
    return {
      observed:
        `frozen 30 s: ${String(during.committed)} of ${String(during.attempts)} committed (failures ${failureList(during)}), ` +
        `p95 ${seconds(during.p95Ms)}, longest stretch without a commit ${seconds(during.longestGapMs)}; ` +
        `after SIGCONT it reached height ${String(target)} in ${seconds(catchUpMs)}`,
      recoveryMs: Math.max(catchUpMs, Date.now() - resumed),
    };
  },
});

/** The holders' certificate states and how many different serials each holding's record ever had. */
async function certificateCounts(
  client: CrowdLedgerClient,
  assetId: string,
  userIds: readonly string[],
): Promise<{ issued: number; serials: Map<string, number> }> {
  let issued = 0;
  const serials = new Map<string, number>();
  for await (const holding of client.assets.allHolders(assetId)) {
    if (!userIds.includes(holding.userId)) {
      continue;
    }
    issued += holding.certificate === 'ISSUED' ? 1 : 0;
    const history = await client.audit.history('certificate', `${assetId}/${holding.userId}`);
    serials.set(
      holding.userId,
      new Set(history.flatMap((h) => (h.value === null ? [] : [h.value.serial]))).size,
    );
  }
  return { issued, serials };
}

function followIssueDue(out: string): ChildProcess {
  const desk = spawn(
    process.execPath,
    [
      join(repoDir, 'cli', 'dist', 'main.js'),
      'certificates',
      'issue-due',
      '--org',
      'platform2',
      '--out',
      join(out, 'certificates'),
      '--checkpoint',
      join(out, 'checkpoint'),
      '--follow',
      '2s',
      '--json',
    ],
    { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(join(out, 'desk.log'));
  desk.stdout.pipe(log);
  desk.stderr.pipe(log);
  return desk;
}

/** Lines of the desk's log that report an error, counted. */
async function deskErrors(out: string): Promise<{ count: number; first: string }> {
  const lines = (await readFile(join(out, 'desk.log'), 'utf8'))
    .split('\n')
    .filter((l) => l.startsWith('error:'));
  return { count: lines.length, first: lines[0] ?? '' };
}

scenario({
  scenario: 'stop the asset CA during issue-due --follow',
  injection:
    'ten new Platform2 holders become due; `certificates issue-due --org platform2 --follow 2s` runs; ca.registry (which hosts the asset CA) stopped as soon as the first of them is issued, started 15 s later',
  expected:
    'passes fail while the CA is down and the desk keeps running; once it is back every due certificate is issued, each exactly once',
  inject: async () => {
    const { userIds, txIds } = await context.load.newHolders('platform2', 10);
    context.extraTxIds.push(...txIds);
    const assetId = context.load.asset.assetId;
    const out = await mkdtemp(join(tmpdir(), 'issue-due-'));
    const desk = followIssueDue(out);
    const client = await reader();
    const issued = async (): Promise<number> => (await certificateCounts(client, assetId, userIds)).issued;
    try {
      await until('the first certificate issued', async () => (await issued()) > 0);
      await stopNode('ca.registry');
      const atStop = await issued();
      await hold(15);
      const whileDown = await issued();
      await startNode('ca.registry');
      const recoveryMs = await until(
        'every due certificate issued',
        async () => (await issued()) === userIds.length,
      );
      expect(desk.exitCode).toBeNull();
      const { serials } = await certificateCounts(client, assetId, userIds);
      expect([...serials].filter(([, n]) => n !== 1)).toEqual([]);
      const errors = await deskErrors(out);
      return {
        observed:
          `${String(atStop)} of ${String(userIds.length)} issued when the CA stopped, ${String(whileDown)} after 15 s down; ` +
          `the desk kept running (${String(errors.count)} error lines, e.g. "${errors.first.slice(0, 160)}"); ` +
          `all ${String(userIds.length)} issued ${seconds(recoveryMs)} after the CA's start, each holding with exactly one serial on record`,
        recoveryMs,
      };
    } finally {
      desk.kill('SIGTERM');
      client.close();
      await rm(out, { recursive: true, force: true });
    }
  },
});

scenario({
  scenario: 'kill -9 every process at once',
  injection:
    'kill -9 of all 14 node processes (CAs, orderers, peers, chaincode services) in one go, then `crowdledger network up`',
  expected:
    'the load fails while everything is down; `network up` restarts every node on its ledger; nothing committed is lost',
  inject: async () => {
    const pids = await allPids();
    const killedAt = Date.now();
    for (const pid of pids.values()) {
      process.kill(pid, 'SIGKILL');
    }
    await until('every node gone', async () => (await probeAll()).every((s) => !s.alive), 30_000);
    await hold(5);
    const restarted = Date.now();
    await networkUp();
    const upMs = Date.now() - restarted;
    const firstCommitMs = await untilCommitAfter(Date.now() - 1000);
    const during = summarise(context.load.outcomes, killedAt, restarted);
    const { ms: agreeMs } = await untilPeersAgree();
    return {
      observed:
        `${String(pids.size)} processes killed; while down ${String(during.attempts)} attempts failed ` +
        `(${failureList(during)}); \`network up\` took ${seconds(upMs)}; first load commit ${seconds(firstCommitMs)} ` +
        `after it returned; peers at one height ${seconds(agreeMs)} later`,
      recoveryMs: Date.now() - restarted,
    };
  },
});

it('reports every scenario', () => {
  expect(results.length).toBeGreaterThan(0);
});
