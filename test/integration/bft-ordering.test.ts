import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrowdLedger, type CrowdLedgerClient } from '../../client/src';
import { bftLeader, heightOf, nodesWithRole, startNode, stopNode, until } from '../support/nodes';
import { isAlive, readPid } from '../../cli/src/status/probe';
import { eventually, newPerson, profilePath, runCli } from './support';
import { listedFund, party, type Party } from './parties';

/**
 * SmartBFT ordering (layout `ordering: bft`, four orderers: f = 1). With the
 * orderer that leads the view stopped, the other three elect a new leader and
 * writes of both platforms go on (the peers' gateways send each transaction
 * to every orderer and need a quorum of three to accept it). Started again by
 * the network's own script, the stopped orderer catches up, and then counts
 * towards the quorum: with another orderer stopped, writes still commit.
 * Runs only on a BFT network (`make test-hosts` brings one up); on the default
 * Raft network of `make test` it is skipped.
 */

function networkOrdering(): string {
  const home = process.env['CROWDLEDGER_HOME'] ?? '';
  try {
    const layout = JSON.parse(readFileSync(join(home, 'layout.json'), 'utf8')) as { ordering?: string };
    return layout.ordering ?? 'raft';
  } catch {
    return 'none';
  }
}

const onBft = networkOrdering() === 'bft';

let platform1: CrowdLedgerClient;
let platform2: CrowdLedgerClient;
let buyer: Party;
let listingId: string;
/** The leader stopped and restarted by the second test. */
let restarted = '';
const stopped = new Set<string>();

async function running(name: string): Promise<boolean> {
  const node = (await nodesWithRole('orderer')).find((n) => n.name === name);
  const pid = node === undefined ? null : await readPid(node.dir);
  return pid !== null && isAlive(pid);
}

async function stopOrderer(name: string): Promise<void> {
  stopped.add(name);
  await stopNode(name);
  expect(await running(name)).toBe(false);
}

async function startOrderer(name: string): Promise<void> {
  await startNode(name);
  stopped.delete(name);
}

/** The highest block height any running orderer reports. */
async function topOrdererHeight(): Promise<number> {
  const heights = await Promise.all((await nodesWithRole('orderer')).map((o) => heightOf(o.name)));
  return Math.max(...heights.map((h) => h ?? 0));
}

/**
 * Starts the orderer again and waits until it holds every block the others
 * have. A write goes first: a SmartBFT follower that missed the last blocks
 * before the network fell idle learns it is behind only from the next
 * proposal (or from heartbeats once one more block exists), so on an idle
 * network it waits for traffic.
 */
async function restartAndCatchUp(name: string): Promise<number> {
  await startOrderer(name);
  const started = Date.now();
  const after = await platform2.users.register(newPerson(`bft-after-${name}`));
  expect(await platform1.users.get(after.userId)).toEqual(after);
  const target = await topOrdererHeight();
  await until(
    `${name} reaching height ${String(target)}`,
    async () => ((await heightOf(name)) ?? 0) >= target,
    60_000,
  );
  const ms = Date.now() - started;
  console.log(`${name} caught up to height ${String(target)} in ${String(ms)} ms after its restart`);
  return ms;
}

(onBft ? describe : describe.skip)('SmartBFT ordering with one of four orderers stopped', () => {
  beforeAll(async () => {
    platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
    platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
    const seller = await party(platform1, 'bft-seller');
    buyer = await party(platform2, 'bft-buyer');
    listingId = await listedFund(platform1, seller, 'bft', '拜占庭容错基金');
  });

  afterAll(async () => {
    platform1.close();
    platform2.close();
    for (const name of stopped) {
      await startNode(name);
    }
  });

  it('has four orderers and a leader', async () => {
    expect(await nodesWithRole('orderer')).toHaveLength(4);
    expect(await bftLeader()).not.toBeNull();
  });

  it('goes on writing with the leader stopped, and the leader catches up once started again', async () => {
    const leader = await bftLeader();
    if (leader === null) {
      throw new Error('no orderer leads the BFT view');
    }
    restarted = leader;
    await stopOrderer(leader);
    const down = Date.now();
    const one = await platform1.users.register(newPerson('bft-while-down-1'));
    const two = await platform2.users.register(newPerson('bft-while-down-2'));
    expect(await platform2.users.get(one.userId)).toEqual(one);
    expect(await platform1.users.get(two.userId)).toEqual(two);
    const bought = await platform2.trades.buy(listingId, buyer.userId, 3, buyer.key);
    expect(bought.trade.units).toBe(3);
    expect((await platform1.listings.get(listingId)).remaining).toBe(17);
    const successor = await bftLeader();
    console.log(
      `two registrations and a trade with ${leader} (the leader) stopped: ${String(Date.now() - down)} ms; new leader ${String(successor)}`,
    );
    expect(successor).not.toBeNull();
    expect(successor).not.toBe(leader);

    expect(await restartAndCatchUp(leader)).toBeLessThan(60_000);
  });

  it('counts the restarted orderer towards the quorum: writes commit with another orderer stopped', async () => {
    const leader = await bftLeader();
    const orderers = (await nodesWithRole('orderer')).map((o) => o.name);
    // A follower other than the restarted orderer, so no view change is needed
    // and the quorum of three must include the restarted one.
    const follower = orderers.find((name) => name !== leader && name !== restarted);
    if (follower === undefined) {
      throw new Error('no follower to stop');
    }
    await stopOrderer(follower);
    try {
      // The peer's gateway may still hold its connection to the restarted
      // orderer in gRPC's reconnect backoff ("connection refused" from before
      // the restart), and then has only two orderers: the write succeeds once
      // it redials. Each try is a new user, so one that was ordered after all
      // is never sent twice.
      let tries = 0;
      const three = await eventually(() => {
        tries += 1;
        return platform1.users.register(newPerson(`bft-while-down-3-${String(tries)}`));
      }, 60_000);
      console.log(`a write with ${follower} stopped committed at try ${String(tries)}`);
      expect(await platform2.users.get(three.userId)).toEqual(three);
    } finally {
      await restartAndCatchUp(follower);
    }
  });

  it('passes ledger verify on every orderer and peer: BFT quorum signatures on every block', async () => {
    const { stdout } = await runCli(['ledger', 'verify', '--max-lag', '2', '--json']);
    const report = JSON.parse(stdout) as { ok: boolean; nodes: { name: string; ok: boolean }[] };
    expect(report.nodes.filter((n) => !n.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
