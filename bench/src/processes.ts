import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A process the bench watches: a network node by its folder name, or the generator itself. */
export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
}

/** CPU time used so far (clock ticks) and resident memory now. */
export interface ProcessReading {
  readonly ticks: number;
  readonly rssKiB: number;
}

/** CPU (100 = one core busy) and resident memory over a span. */
export interface ProcessUsage {
  readonly cpuPercent: number;
  readonly rssMiB: number;
}

/** The name of the process the generator runs in. */
export const GENERATOR = 'generator';

/** Every node with a pid file under `<home>/nodes/` (peers, orderers, chaincode services, CAs), and the generator. */
export function watchedProcesses(home: string): WatchedProcess[] {
  const nodes = join(home, 'nodes');
  const found: WatchedProcess[] = [];
  for (const name of readdirSync(nodes).sort()) {
    try {
      const pid = Number(readFileSync(join(nodes, name, 'pid'), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) {
        found.push({ name, pid });
      }
    } catch {
      // A folder without a pid file is a node that is not running.
    }
  }
  return [...found, { name: GENERATOR, pid: process.pid }];
}

/** Fields 14 and 15 (utime, stime) of /proc/<pid>/stat, counted after the command name's closing parenthesis. */
export function parseStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** VmRSS of /proc/<pid>/status, in KiB. */
export function parseRss(status: string): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** The process's reading, or undefined once it has gone. */
export function readProcess(pid: number): ProcessReading | undefined {
  try {
    return {
      ticks: parseStat(readFileSync(`/proc/${String(pid)}/stat`, 'utf8')),
      rssKiB: parseRss(readFileSync(`/proc/${String(pid)}/status`, 'utf8')),
    };
  } catch {
    return undefined;
  }
}

/** Readings of every watched process that still runs, by name. */
export function snapshot(processes: readonly WatchedProcess[]): Map<string, ProcessReading> {
  const readings = new Map<string, ProcessReading>();
  for (const p of processes) {
    const reading = readProcess(p.pid);
    if (reading !== undefined) {
      readings.set(p.name, reading);
    }
  }
  return readings;
}

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** CPU over the span between two snapshots and memory at its end, by process name. */
export function usageBetween(
  before: ReadonlyMap<string, ProcessReading>,
  after: ReadonlyMap<string, ProcessReading>,
  seconds: number,
): Record<string, ProcessUsage> {
  const usage: Record<string, ProcessUsage> = {};
  for (const [name, end] of after) {
    const start = before.get(name);
    const cpu = start === undefined || seconds <= 0 ? 0 : (end.ticks - start.ticks) / clockTicks() / seconds;
    usage[name] = { cpuPercent: Math.round(cpu * 1000) / 10, rssMiB: Math.round(end.rssKiB / 102.4) / 10 };
  }
  return usage;
}

/** Resident memory of the network's processes (the generator left out), in MiB, by name. */
export function networkRss(readings: ReadonlyMap<string, ProcessReading>): Record<string, number> {
  const rss: Record<string, number> = {};
  for (const [name, reading] of readings) {
    if (name !== GENERATOR) {
      rss[name] = Math.round(reading.rssKiB / 102.4) / 10;
    }
  }
  return rss;
}
