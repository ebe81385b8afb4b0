import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { networkHome, newPerson, repoDir, runCli, runScript, uniqueSuffix, withClient } from './support';

interface StatusNode {
  readonly name: string;
  readonly role: string;
  readonly pid: number | null;
  readonly state: string;
  readonly height: number | null;
}

interface Status {
  readonly up: number;
  readonly total: number;
  readonly nodes: readonly StatusNode[];
}

async function status(): Promise<{ code: number; status: Status }> {
  try {
    const { stdout } = await runCli(['network', 'status', '--json']);
    return { code: 0, status: JSON.parse(stdout) as Status };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, status: JSON.parse(failed.stdout) as Status };
  }
}

function peerHeights(s: Status): number[] {
  return s.nodes.filter((n) => n.role === 'peer').map((n) => n.height ?? -1);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function chaincodeType(): Promise<string> {
  const layout = JSON.parse(await readFile(join(networkHome(), 'layout.json'), 'utf8')) as {
    chaincodeType?: string;
  };
  return layout.chaincodeType ?? 'ccaas';
}

describe('network status', () => {
  it('shows every node up with one block height on every peer', async () => {
    const { code, status: s } = await status();
    expect(code).toBe(0);
    expect(s.up).toBe(s.total);
    // 3 orderers, 4 peers (two of them the registry's), 3 CAs by default, and 4
    // chaincode services unless the peers run a node package themselves
    // (CROWDLEDGER_CHAINCODE_TYPE=node).
    const nodePackage = (await chaincodeType()) === 'node';
    expect(s.total).toBe(nodePackage ? 10 : 14);
    expect(s.nodes.some((n) => n.role === 'chaincode')).toBe(!nodePackage);
    expect(s.nodes.filter((n) => n.role === 'peer').map((n) => n.name)).toEqual([
      'peer0.registry',
      'peer1.registry',
      'peer0.platform1',
      'peer0.platform2',
    ]);
    const heights = peerHeights(s);
    expect(Math.min(...heights)).toBeGreaterThan(0);
    expect(new Set(heights).size).toBe(1);
  });
});

describe('chaincode deploy', () => {
  const entry = join(repoDir, 'chaincode', 'dist', 'index.js');

  async function committedSequence(): Promise<number> {
    const { stdout } = await promisify(execFile)(
      'bash',
      [
        '-c',
        `. network/lib/common.sh && . network/lib/nodes.sh && . network/lib/chaincode.sh && committed_field sequence`,
      ],
      { cwd: repoDir, env: process.env },
    );
    return Number(stdout.trim());
  }

  it('builds first, and leaves an unchanged chaincode as it is', async () => {
    const before = await committedSequence();
    const { stderr } = await runCli(['chaincode', 'deploy']);
    expect(stderr).toContain(
      'building the chaincode: tsc -b chaincode/tsconfig.build.json\n✓ chaincode built',
    );
    expect(stderr).toMatch(/already committed/);
    expect(await committedSequence()).toBe(before);
  });

  it('rebuilds a build deleted by hand, which tsc -b alone would leave missing, to the same version', async () => {
    const original = await readFile(entry, 'utf8');
    const before = await committedSequence();
    try {
      await rm(entry);
      const { stderr } = await runCli(['chaincode', 'deploy']);
      expect(stderr).toContain('building the chaincode: tsc -b --force chaincode/tsconfig.build.json');
      expect(await readFile(entry, 'utf8')).toBe(original);
      expect(stderr).toMatch(/already committed/);
      expect(await committedSequence()).toBe(before);
    } finally {
      await writeFile(entry, original);
    }
  });

  it('upgrades a changed chaincode to the next sequence without restarting the network', async () => {
    const original = await readFile(entry, 'utf8');
    const before = await committedSequence();
    try {
      await appendFile(entry, `\n// changed by the upgrade test ${uniqueSuffix()}\n`);
      await runCli(['chaincode', 'deploy']);
      expect(await committedSequence()).toBe(before + 1);
      await withClient('platform2', async (c) => {
        const user = await c.users.register(newPerson('after-upgrade'));
        expect(await c.users.get(user.userId)).toEqual(user);
      });
    } finally {
      await writeFile(entry, original);
      await runCli(['chaincode', 'deploy']);
    }
    expect(await committedSequence()).toBe(before + 2);
  });
});

describe('network logs', () => {
  it("shows the last lines of one node's log, and names the nodes when asked for one that is not there", async () => {
    const { stdout } = await runCli(['network', 'logs', 'peer0.platform1', '--lines', '5']);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(5);
    const all = await runCli(['network', 'logs', '-n', '1']);
    expect(all.stdout).toContain('== orderer0.registry ==');
    expect(all.stdout).toContain('== peer0.platform2 ==');
    const missing = await runCli(['network', 'logs', 'peer9.nowhere']).then(
      () => null,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(missing?.code).not.toBe(0);
    expect(missing?.stderr).toMatch(/no node named peer9\.nowhere \(nodes: .*peer0\.platform1/);
  });
});

describe('down and up', () => {
  it('stops every process, then restarts on the same ledger', async () => {
    const kept = await withClient('platform1', (c) => c.users.register(newPerson('kept-across-restart')));
    const before = await status();
    const pids = before.status.nodes.map((n) => n.pid).filter((p): p is number => p !== null);
    expect(pids.length).toBe(before.status.total);

    await runCli(['network', 'down']);
    expect(pids.filter(alive)).toEqual([]);
    const stopped = await status();
    expect(stopped.code).toBe(3);
    expect(stopped.status.up).toBe(0);

    await runCli(['network', 'up']);
    // Returned only once every platform's gateway can endorse again: no waiting here.
    await withClient('platform2', (c) => c.users.register(newPerson('right-after-up')));
    const after = await status();
    expect(after.code).toBe(0);
    expect(Math.min(...peerHeights(after.status))).toBeGreaterThanOrEqual(
      Math.max(...peerHeights(before.status)),
    );
    expect(await withClient('platform2', (c) => c.users.get(kept.userId))).toEqual(kept);
  });

  it('says so when asked to start a network that is already running', async () => {
    const { stderr } = await runCli(['network', 'up']);
    expect(stderr).toMatch(/already running/);
  });
});

describe('a port already in use', () => {
  it('is reported by node name before anything starts', async () => {
    const home = await mkdtemp(join(tmpdir(), 'crowdledger-ports-'));
    // Whatever port the kernel hands out is free now and becomes the base.
    const blocker = createServer();
    await new Promise<void>((listening, failed) => {
      blocker.once('error', failed);
      blocker.listen(0, '127.0.0.1', listening);
    });
    const address = blocker.address();
    const basePort = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const env = { ...process.env, CROWDLEDGER_HOME: home, CROWDLEDGER_BASE_PORT: String(basePort) };
      const failure = await runScript('up.sh', [], env).then(
        () => ({ stderr: 'up.sh succeeded' }),
        (error: unknown) => error as { stderr: string },
      );
      expect(failure.stderr).toContain(`ca.registry needs port ${String(basePort)}`);
      expect(await readdir(home)).toEqual(['layout.json']);
    } finally {
      blocker.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
