import type { Command } from 'commander';
import { type MissionResult, playMission } from '../demo/mission';
import { crowdledgerHome } from '../paths';
import { withExamples } from './shared/help';

/** `crowdledger demo`: plays the whole mission against the running network. */
export function registerDemoCommand(program: Command): void {
  const demo = program
    .command('demo')
    .description('play the CrowdLedger mission, step by step, against the running network')
    .action(async () => {
      printTour(await playMission(crowdledgerHome()));
    });
  withExamples(demo, 'crowdledger network up && crowdledger demo');
}

/** What to type next, with the IDs this run made, so each line can be pasted as it is. */
export function tourText({ assetId, buyerId, registeredBy }: MissionResult): string {
  const lines: readonly (readonly [string, string])[] = [
    ['alias crowdledger="node $PWD/cli/dist/main.js"', 'the CLI, by the name the lines below use'],
    ['crowdledger network status', 'every node: health, block height, memory'],
    [`crowdledger assets holders ${assetId} --csv`, 'the cap table as CSV'],
    [
      `crowdledger assets holders ${assetId} --at-block ${String(registeredBy)}`,
      `the cap table as block ${String(registeredBy)} left it, rebuilt from the chain`,
    ],
    [`crowdledger trades list --asset ${assetId}`, 'every trade of the asset'],
    [`crowdledger users portfolio ${buyerId}`, "王芳's holdings"],
    [`crowdledger audit history holding ${assetId}/${buyerId}`, 'every version of her holding'],
    ['crowdledger ledger verify --from-files', 'check every block file on disk'],
    ['crowdledger network logs peer0.platform1 -n 50', ''],
    ['crowdledger network down', 'stop; `network up` restarts on the same ledger'],
  ];
  const body = lines.flatMap(([command, why]) => (why === '' ? [command] : [`# ${why}`, command]));
  return [
    '',
    'Try it yourself against the running network, from the repository root:',
    ...body.map((line) => `   ${line}`),
    'README.md walks through every command ("CLI tour") and the SDK ("SDK quick start");',
    'connection profiles are in $CROWDLEDGER_HOME/profiles (default .crowdledger/profiles).',
  ].join('\n');
}

function printTour(result: MissionResult): void {
  console.log(tourText(result));
}
