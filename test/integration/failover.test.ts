import { CrowdLedger, type CrowdLedgerClient } from '../../client/src';
import { killNode, nodeNamed, startNode, untilPeersAgree } from '../support/nodes';
import { isAlive, readPid } from '../../cli/src/status/probe';
import { newPerson, profilePath, runCli } from './support';
import { listedFund, party, type Party } from './parties';

/**
 * No single point of failure for writes (DESIGN §2, issue #20): every write
 * needs a registry peer's endorsement, so the registry runs two. With one
 * killed (kill -9, no clean shutdown), both platforms' gateways get the other
 * registry peer's endorsement and writes go on; restarted by the network's
 * own script, the killed peer catches up from the orderers. The peer is
 * started again whatever happens, so the suites after this one find the
 * whole network.
 */

const KILLED = 'peer0.registry';
const SURVIVOR = 'peer1.registry';

async function killedPeerRunning(): Promise<boolean> {
  const pid = await readPid((await nodeNamed(KILLED)).dir);
  return pid !== null && isAlive(pid);
}

let platform1: CrowdLedgerClient;
let platform2: CrowdLedgerClient;
let seller: Party;
let buyers: { readonly platform1: Party; readonly platform2: Party };
let listingId: string;

beforeAll(async () => {
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  seller = await party(platform1, 'failover-seller');
  buyers = {
    platform1: await party(platform1, 'failover-buyer1'),
    platform2: await party(platform2, 'failover-buyer2'),
  };
  listingId = await listedFund(platform1, seller, 'failover', '容错测试基金');
});

afterAll(async () => {
  platform1.close();
  platform2.close();
  if (!(await killedPeerRunning())) {
    await startNode(KILLED);
  }
});

describe(`${KILLED} killed with kill -9`, () => {
  it('leaves writes going through both platforms, and catches up once started again', async () => {
    await killNode(KILLED);
    expect(await killedPeerRunning()).toBe(false);
    const killed = Date.now();
    try {
      const one = await platform1.users.register(newPerson('while-down-1'));
      const two = await platform2.users.register(newPerson('while-down-2'));
      expect(await platform2.users.get(one.userId)).toEqual(one);
      expect(await platform1.users.get(two.userId)).toEqual(two);
      const fromTwo = await platform2.trades.buy(listingId, buyers.platform2.userId, 3, buyers.platform2.key);
      const fromOne = await platform1.trades.buy(listingId, buyers.platform1.userId, 2, buyers.platform1.key);
      expect(fromTwo.trade.units).toBe(3);
      expect(fromOne.trade.units).toBe(2);
      expect((await platform1.listings.get(listingId)).remaining).toBe(15);
      console.log(`two registrations and two trades with ${KILLED} down: ${String(Date.now() - killed)} ms`);
    } finally {
      await startNode(KILLED);
    }
    const restarted = Date.now();
    const { height } = await untilPeersAgree(60_000);
    const caughtUpMs = Date.now() - restarted;
    console.log(
      `${KILLED} caught up to block height ${String(height)} in ${String(caughtUpMs)} ms after its restart`,
    );
    expect(caughtUpMs).toBeLessThan(60_000);
    const { stdout } = await runCli(['ledger', 'verify', '--node', KILLED, SURVIVOR, '--json']);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      nodes: { name: string; height: number; lastHeaderHash: string }[];
    };
    expect(report.ok).toBe(true);
    const [a, b] = report.nodes;
    expect(a?.height).toBe(b?.height);
    expect(a?.lastHeaderHash).toBe(b?.lastHeaderHash);
  });
});
