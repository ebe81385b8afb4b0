import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkNode } from './layout';
import { isAlive, probeNode, readPid, stateOf, parseResidentMiB } from './probe';

describe('stateOf', () => {
  it.each([
    [true, 'ok', 'up'],
    [false, 'ok', 'up'],
    [true, 'failing', 'unhealthy'],
    [true, 'unreachable', 'unhealthy'],
    [false, 'unreachable', 'down'],
    [true, 'none', 'up'],
    [false, 'none', 'down'],
  ] as const)('alive=%s health=%s is %s', (alive, health, state) => {
    expect(stateOf(alive, health)).toBe(state);
  });
});

describe('readPid and isAlive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crowdledger-pid-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a pid file and sees this process alive', async () => {
    writeFileSync(join(dir, 'pid'), `${String(process.pid)}\n`);
    const pid = await readPid(dir);
    expect(pid).toBe(process.pid);
    expect(isAlive(process.pid)).toBe(true);
  });

  it.each(['', 'abc', '12abc', '-5', '0'])('ignores a pid file holding %j', async (text) => {
    writeFileSync(join(dir, 'pid'), text);
    await expect(readPid(dir)).resolves.toBeNull();
  });

  it('has no pid without a pid file', async () => {
    await expect(readPid(join(dir, 'none'))).resolves.toBeNull();
  });
});

describe('probeNode', () => {
  let server: Server;
  let port: number;
  const home = mkdtempSync(join(tmpdir(), 'crowdledger-probe-'));

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/healthz') {
        res.end('{"status":"OK"}');
      } else if (req.url === '/metrics') {
        res.end('ledger_blockchain_height{channel="crowdledger"} 9\n');
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(home, { recursive: true, force: true });
  });

  function peer(opsPort: number): NetworkNode {
    const dir = join(home, 'peer0');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pid'), String(process.pid));
    return { name: 'peer0', role: 'peer', org: 'registry', host: '127.0.0.1', port: 1, opsPort, dir };
  }

  it('reports a healthy peer with its block height', async () => {
    await expect(probeNode(peer(port), 'crowdledger')).resolves.toMatchObject({
      pid: process.pid,
      alive: true,
      health: 'ok',
      state: 'up',
      height: 9,
    });
  });

  it('reports a live process whose operations port does not answer as unhealthy', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unused = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(probeNode(peer(unused), 'crowdledger')).resolves.toMatchObject({
      health: 'unreachable',
      state: 'unhealthy',
      height: null,
    });
  });

  it('judges a chaincode service by its pid alone', async () => {
    const cc: NetworkNode = {
      ...peer(port),
      name: 'cc.peer0',
      role: 'chaincode',
      opsPort: null,
      dir: join(home, 'cc'),
    };
    await expect(probeNode(cc, 'crowdledger')).resolves.toMatchObject({
      pid: null,
      health: 'none',
      state: 'down',
    });
  });
});

describe('parseResidentMiB', () => {
  it('reads VmRSS in kB and rounds to MiB', () => {
    expect(parseResidentMiB('Name:\tpeer\nVmRSS:\t   70656 kB\nThreads:\t12\n')).toBe(69);
  });

  it('answers null when the line is missing (a kernel thread, a zombie)', () => {
    expect(parseResidentMiB('Name:\tx\n')).toBeNull();
  });
});
