import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A Go process's heap as its runtime reports it (peers and orderers, from their /metrics). */
export interface GoHeap {
  /** Spans holding objects, live or not yet collected. */
  readonly inUseMiB: number;
  /** Free spans the runtime keeps, not yet returned to the operating system (still resident). */
  readonly idleKeptMiB: number;
}

interface OpsNode {
  readonly name: string;
  readonly host: string;
  readonly opsPort: number;
}

function metric(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The heap figures of a Prometheus text page, or undefined when it has none. */
export function parseGoHeap(text: string): GoHeap | undefined {
  const inUse = metric(text, 'go_memstats_heap_inuse_bytes');
  const idle = metric(text, 'go_memstats_heap_idle_bytes');
  const released = metric(text, 'go_memstats_heap_released_bytes');
  if (inUse === undefined || idle === undefined || released === undefined) {
    return undefined;
  }
  const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
  return { inUseMiB: mib(inUse), idleKeptMiB: mib(idle - released) };
}

async function opsNodes(home: string): Promise<OpsNode[]> {
  const layout = JSON.parse(await readFile(join(home, 'layout.json'), 'utf8')) as {
    orgs: { orderers: OpsNode[]; peers: OpsNode[] }[];
  };
  return layout.orgs.flatMap((org) => [...org.orderers, ...org.peers]);
}

/** Every peer's and orderer's Go heap, by node name; a node that does not answer is left out. */
export async function goHeaps(home: string): Promise<Record<string, GoHeap>> {
  const heaps: Record<string, GoHeap> = {};
  for (const node of await opsNodes(home)) {
    try {
      const response = await fetch(`http://${node.host}:${String(node.opsPort)}/metrics`, {
        signal: AbortSignal.timeout(3_000),
      });
      const heap = parseGoHeap(await response.text());
      if (heap !== undefined) {
        heaps[node.name] = heap;
      }
    } catch {
      // No figures for a node that does not answer; its RSS still counts.
    }
  }
  return heaps;
}
