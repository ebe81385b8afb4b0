import type { Command } from 'commander';
import { playMission } from '../demo/mission';
import { crowdledgerHome } from '../paths';
import { withExamples } from './help';

/** `crowdledger demo`: plays the whole mission against the running network. */
export function registerDemoCommand(program: Command): void {
  const demo = program
    .command('demo')
    .description('play the CrowdLedger mission, step by step, against the running network')
    .action(async () => {
      await playMission(crowdledgerHome());
      printTour();
    });
  withExamples(demo, 'crowdledger network up && crowdledger demo');
}

function printTour(): void {
  console.log(`
Try it yourself (node cli/dist/main.js, or npx crowdledger):
   crowdledger network status            every node, its health, block height and memory
   crowdledger ledger verify --from-files  check every block file on disk
   crowdledger network logs peer0.platform1 -n 50
   crowdledger network down | up         stop and restart, keeping the ledger
   crowdledger chaincode deploy          upgrade after changing chaincode/
SDK: see "SDK quick start" in README.md; profiles are in $CROWDLEDGER_HOME/profiles.`);
}
