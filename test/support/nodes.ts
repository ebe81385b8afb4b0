// Fault injection and observation for tests that stop, kill or freeze the
// network's processes: each node's pid file says which process is which
// (network/lib/process.sh), `network/node.sh` starts one again, and the
// peers' operations endpoints report their block heights.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type NetworkLayout, type NetworkNode, readLayout } from '../../cli/src/status/layout';
import { isAlive, type NodeStatus, probeNode, readPid } from '../../cli/src/status/probe';

const run = promisify(execFile);

export const repoDir = resolve(__dirname, '../..');

/** The network the tests run against (`CROWDLEDGER_HOME`, set by test/run.sh or `make reliability`). */
export function networkHome(): string {
  const home = process.env['CROWDLEDGER_HOME'];
  if (home === undefined || home === '') {
    throw new Error('CROWDLEDGER_HOME is not set: run these tests through make');
  }
  return home;
}

export function networkLayout(): Promise<NetworkLayout> {
  return readLayout(networkHome());
}

export async function nodeNamed(name: string): Promise<NetworkNode> {
  const node = (await networkLayout()).nodes.find((n) => n.name === name);
  if (node === undefined) {
    throw new Error(`the layout has no node ${name}`);
  }
  return node;
}

export async function nodesWithRole(role: NetworkNode['role']): Promise<NetworkNode[]> {
  return (await networkLayout()).nodes.filter((n) => n.role === role);
}

async function pidOf(name: string): Promise<number> {
  const pid = await readPid((await nodeNamed(name)).dir);
  if (pid === null) {
    throw new Error(`${name} has no pid file`);
  }
  return pid;
}

/** Sends the signal to the node's process; SIGKILL and SIGTERM wait until it is gone. */
export async function signalNode(name: string, signal: NodeJS.Signals): Promise<void> {
  const pid = await pidOf(name);
  process.kill(pid, signal);
  if (signal !== 'SIGKILL' && signal !== 'SIGTERM') {
    return;
  }
  const deadline = Date.now() + 20_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`${name} (pid ${String(pid)}) did not end after ${signal} in 20 s`);
    }
    await sleep(50);
  }
}

export function killNode(name: string): Promise<void> {
  return signalNode(name, 'SIGKILL');
}

/** Starts one stopped node with the network's own script; returns when it answers. */
export async function startNode(name: string): Promise<void> {
  await run('bash', [join(repoDir, 'network', 'node.sh'), 'start', name], { env: process.env });
}

/** Stops one node cleanly (SIGTERM, then SIGKILL after 10 s) with the network's own script. */
export async function stopNode(name: string): Promise<void> {
  await run('bash', [join(repoDir, 'network', 'node.sh'), 'stop', name], { env: process.env });
}

/** Starts every node that is not running and waits until each platform can submit again. */
export async function networkUp(): Promise<void> {
  await run(process.execPath, [join(repoDir, 'cli', 'dist', 'main.js'), 'network', 'up'], {
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function probeAll(): Promise<NodeStatus[]> {
  const layout = await networkLayout();
  return Promise.all(layout.nodes.map((n) => probeNode(n, layout.channel)));
}

/** Every peer's block height, by name; null for a peer that does not answer. */
export async function peerHeights(): Promise<Map<string, number | null>> {
  const statuses = await probeAll();
  return new Map(statuses.filter((s) => s.node.role === 'peer').map((s) => [s.node.name, s.height]));
}

/**
 * Waits until every peer answers with one and the same block height, and
 * that height has stopped moving between two looks; returns the height and
 * the milliseconds it took.
 */
export async function untilPeersAgree(timeoutMs = 120_000): Promise<{ height: number; ms: number }> {
  const started = Date.now();
  let previous: number | null = null;
  for (;;) {
    const agreed = commonHeight([...(await peerHeights()).values()]);
    if (agreed !== null && agreed === previous) {
      return { height: agreed, ms: Date.now() - started };
    }
    previous = agreed;
    if (Date.now() - started > timeoutMs) {
      const heights = JSON.stringify([...(await peerHeights())]);
      throw new Error(`peers did not reach one height in ${String(timeoutMs)} ms: ${heights}`);
    }
    await sleep(250);
  }
}

/** The height every peer reports, or null when one does not answer or they differ. */
function commonHeight(heights: readonly (number | null)[]): number | null {
  const [first = null] = heights;
  return first !== null && heights.every((h) => h === first) ? first : null;
}

/** Milliseconds until the named peer's height reaches the given one. */
export async function untilPeerReaches(name: string, height: number, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const current = (await peerHeights()).get(name) ?? null;
    if (current !== null && current >= height) {
      return Date.now() - started;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${name} stayed at height ${String(current)} below ${String(height)} for ${String(timeoutMs)} ms`,
      );
    }
    await sleep(100);
  }
}

/** Resident memory of every node's process, MiB by name (a node that is down is left out). */
export async function residentMemory(): Promise<Map<string, number>> {
  const statuses = await probeAll();
  const entries = statuses.flatMap((s) => (s.rssMiB === null ? [] : [[s.node.name, s.rssMiB] as const]));
  return new Map(entries);
}

export function totalMiB(memory: ReadonlyMap<string, number>): number {
  return [...memory.values()].reduce((sum, mib) => sum + mib, 0);
}

/** The orderer that is the channel's Raft leader now, or null while there is none (or it does not answer). */
export async function raftLeader(): Promise<string | null> {
  const layout = await networkLayout();
  const pattern = new RegExp(`^consensus_etcdraft_is_leader\\{channel="${layout.channel}"\\} 1$`, 'm');
  for (const orderer of layout.nodes.filter((n) => n.role === 'orderer')) {
    try {
      const response = await fetch(`http://${orderer.host}:${String(orderer.opsPort)}/metrics`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (pattern.test(await response.text())) {
        return orderer.name;
      }
    } catch {
      // A stopped or frozen orderer is no leader anyone can reach.
    }
  }
  return null;
}

/**
 * The orderer that leads the channel's SmartBFT view, as most orderers see it
 * (consensus_BFT_leader_id; consenter ids are 1… in layout order), or null
 * when no id has a majority of the orderers that answer. One orderer's own
 * word is not enough: one restarted after a view change kept reporting
 * itself leader (is_leader 1) after it had synced and turned follower.
 */
export async function bftLeader(): Promise<string | null> {
  const layout = await networkLayout();
  const orderers = layout.nodes.filter((n) => n.role === 'orderer');
  const seen = await Promise.all(orderers.map((o) => leaderIdSeenBy(o, layout.channel)));
  const ids = seen.filter((id) => id !== undefined);
  const majority = ids.find((id) => 2 * ids.filter((other) => other === id).length > ids.length);
  return majority === undefined ? null : (orderers[majority - 1]?.name ?? null);
}

/** The consenter id an orderer reports as its view's leader; undefined when it does not answer. */
async function leaderIdSeenBy(orderer: NetworkNode, channel: string): Promise<number | undefined> {
  const pattern = new RegExp(`^consensus_BFT_leader_id\\{channel="${channel}"\\} (\\d+)$`, 'm');
  try {
    const response = await fetch(`http://${orderer.host}:${String(orderer.opsPort)}/metrics`, {
      signal: AbortSignal.timeout(1_000),
    });
    const id = pattern.exec(await response.text())?.[1];
    return id === undefined ? undefined : Number(id);
  } catch {
    // A stopped orderer has no say.
    return undefined;
  }
}

/** Milliseconds until the check holds, polling every 100 ms; throws after the timeout. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`${what} did not happen in ${String(timeoutMs)} ms`);
    }
    await sleep(100);
  }
  return Date.now() - started;
}

/** The node's block height (peers and orderers), or null when it does not answer. */
export async function heightOf(name: string): Promise<number | null> {
  const layout = await networkLayout();
  return (await probeNode(await nodeNamed(name), layout.channel)).height;
}

/** Every node process's pid, by name, from the pid files. */
export async function allPids(): Promise<Map<string, number>> {
  const statuses = await probeAll();
  return new Map(statuses.flatMap((s) => (s.pid !== null && s.alive ? [[s.node.name, s.pid] as const] : [])));
}
