import Table from 'cli-table3';
import { PLAIN } from '../table';
import type { NodeStatus } from './probe';

const HEAD = ['NODE', 'ROLE', 'ORG', 'ENDPOINT', 'PID', 'STATE', 'HEIGHT', 'RSS MiB'];

export function formatStatusTable(statuses: readonly NodeStatus[]): string {
  const table = new Table({ ...PLAIN, head: HEAD });
  for (const s of statuses) {
    table.push([
      s.node.name,
      s.node.role,
      s.node.org,
      `${s.node.host}:${String(s.node.port)}`,
      s.pid === null ? '-' : `${String(s.pid)}${s.alive ? '' : ' (gone)'}`,
      s.state,
      s.height === null ? '-' : String(s.height),
      s.rssMiB === null ? '-' : String(s.rssMiB),
    ]);
  }
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

export function formatSummary(statuses: readonly NodeStatus[]): string {
  const up = statuses.filter((s) => s.state === 'up').length;
  const rss = statuses.reduce((sum, s) => sum + (s.rssMiB ?? 0), 0);
  return `${String(up)} of ${String(statuses.length)} nodes up, ${String(rss)} MiB resident`;
}

export interface StatusJson {
  readonly home: string;
  readonly channel: string;
  readonly up: number;
  readonly total: number;
  readonly nodes: readonly Record<string, string | number | boolean | null>[];
}

export function statusJson(home: string, channel: string, statuses: readonly NodeStatus[]): StatusJson {
  return {
    home,
    channel,
    up: statuses.filter((s) => s.state === 'up').length,
    total: statuses.length,
    nodes: statuses.map((s) => ({
      name: s.node.name,
      role: s.node.role,
      org: s.node.org,
      endpoint: `${s.node.host}:${String(s.node.port)}`,
      pid: s.pid,
      alive: s.alive,
      health: s.health,
      state: s.state,
      height: s.height,
      rssMiB: s.rssMiB,
    })),
  };
}
