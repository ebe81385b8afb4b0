import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkNode } from './layout';
import { parseBlockHeight } from './metrics';

export type Health = 'ok' | 'failing' | 'unreachable' | 'none';
export type NodeState = 'up' | 'unhealthy' | 'down';

export interface NodeStatus {
  readonly node: NetworkNode;
  readonly pid: number | null;
  readonly alive: boolean;
  readonly health: Health;
  readonly state: NodeState;
  readonly height: number | null;
  /** Resident memory in MiB, when the process runs on this host. */
  readonly rssMiB: number | null;
}

const PROBE_TIMEOUT_MS = 1_000;

export async function probeNode(node: NetworkNode, channel: string): Promise<NodeStatus> {
  const pid = await readPid(node.dir);
  const alive = pid !== null && isAlive(pid);
  const [health, height, rssMiB] = await Promise.all([
    probeHealth(node),
    probeHeight(node, channel),
    pid !== null && alive ? residentMiB(pid) : null,
  ]);
  return { node, pid, alive, health, state: stateOf(alive, health), height, rssMiB };
}

/**
 * A node with an operations port is judged by its health check, so a node
 * on another host (no local pid) still counts; one without is judged by pid.
 */
export function stateOf(alive: boolean, health: Health): NodeState {
  switch (health) {
    case 'ok':
      return 'up';
    case 'failing':
      return 'unhealthy';
    case 'unreachable':
      return alive ? 'unhealthy' : 'down';
    case 'none':
      return alive ? 'up' : 'down';
  }
}

export async function readPid(dir: string): Promise<number | null> {
  try {
    const text = (await readFile(join(dir, 'pid'), 'utf8')).trim();
    return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

async function probeHealth(node: NetworkNode): Promise<Health> {
  if (node.opsPort === null) {
    return 'none';
  }
  const response = await get(node, '/healthz');
  if (response === undefined) {
    return 'unreachable';
  }
  return response.ok ? 'ok' : 'failing';
}

async function probeHeight(node: NetworkNode, channel: string): Promise<number | null> {
  if (node.role !== 'peer' && node.role !== 'orderer') {
    return null;
  }
  const response = await get(node, '/metrics');
  return response?.ok === true ? parseBlockHeight(response.body, channel) : null;
}

interface Reply {
  readonly ok: boolean;
  readonly body: string;
}

async function get(node: NetworkNode, path: string): Promise<Reply | undefined> {
  try {
    const url = `http://${node.host}:${String(node.opsPort)}${path}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { ok: response.ok, body: await response.text() };
  } catch {
    // Refused, timed out or reset: all mean "not answering" to a status check.
    return undefined;
  }
}

/** VmRSS from /proc: what the process holds in memory now. */
export async function residentMiB(pid: number): Promise<number | null> {
  try {
    return parseResidentMiB(await readFile(`/proc/${String(pid)}/status`, 'utf8'));
  } catch {
    return null;
  }
}

export function parseResidentMiB(procStatus: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(procStatus);
  return match?.[1] === undefined ? null : Math.round(Number(match[1]) / 1024);
}
