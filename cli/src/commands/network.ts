import { type Command, InvalidArgumentError } from 'commander';
import { ExitCode } from '../errors';
import { parseOrg } from '../connection';
import { crowdledgerHome } from '../paths';
import { untilPlatformsSubmit } from '../readiness';
import { runNetworkScript } from '../scripts';
import { formatStatusTable, formatSummary, statusJson } from '../status/format';
import { readLayout } from '../status/layout';
import { probeNode } from '../status/probe';
import { withExamples } from './shared/help';

/** `crowdledger network …`: lifecycle through the network scripts, status in-process. */
export function registerNetworkCommands(program: Command): void {
  const network = program.command('network').description('run the local CrowdLedger network');
  withExamples(network, 'crowdledger network up', 'crowdledger network status --json');
  addUpCommand(network);
  addAddPlatformCommand(network);
  addScriptCommand(network, 'down', 'stop every node, keeping ledgers and crypto material', 'down.sh');
  addScriptCommand(network, 'clean', 'stop the network and delete all its state', 'clean.sh');
  addPublishCrlCommand(network);
  addLogsCommand(network);
  addStatusCommand(network);
}

function addUpCommand(network: Command): void {
  const command = network
    .command('up')
    .description(
      'start every node, creating the network first if needed; returns when every platform can submit',
    )
    .action(async () => {
      const code = await runNetworkScript('up.sh');
      if (code === 0) {
        await untilPlatformsSubmit(crowdledgerHome(), (line) => {
          console.log(line);
        });
      }
      process.exitCode = code;
    });
  withExamples(command, 'crowdledger network up');
}

function addAddPlatformCommand(network: Command): void {
  const command = network
    .command('add-platform')
    .description(
      'add the next crowdfunding platform (platform3, …) to the running network: its CA and peers, its org in ' +
        'the channel by a config update a majority of the admins sign, and a new chaincode definition with its ' +
        'private collection and endorsement term that every org approves; existing records stay as they are',
    )
    .option('--peers <count>', 'peers the platform runs (default: as many as platform1)', parsePeerCount)
    .action(async (options: { peers?: number }) => {
      const code = await runNetworkScript('add-platform.sh', addPlatformArguments(options.peers));
      if (code === 0) {
        await untilPlatformsSubmit(crowdledgerHome(), (line) => {
          console.log(line);
        });
      }
      process.exitCode = code;
    });
  withExamples(command, 'crowdledger network add-platform', 'crowdledger network add-platform --peers 2');
}

export function addPlatformArguments(peers: number | undefined): string[] {
  return peers === undefined ? [] : ['--peers', String(peers)];
}

/** A platform runs 1 to 10 peers, as network/layout.sh allows. */
export function parsePeerCount(value: string): number {
  if (!/^(?:[1-9]|10)$/.test(value)) {
    throw new InvalidArgumentError('expected a whole number of peers from 1 to 10');
  }
  return Number(value);
}

function addScriptCommand(network: Command, name: string, description: string, script: string): void {
  const command = network
    .command(name)
    .description(description)
    .action(async () => {
      process.exitCode = await runNetworkScript(script);
    });
  withExamples(command, `crowdledger network ${name}`);
}

function addPublishCrlCommand(network: Command): void {
  const command = network
    .command('publish-crl')
    .description(
      "shut a compromised identity of an organisation out of the channel: revoke it at the org's CA (when " +
        "named) and write that CA's CRL into the org's MSP, so every peer and orderer refuses it",
    )
    .argument('<org>', 'the organisation: registry, platform1, …', parseOrg)
    .argument('[enrollmentId]', 'the identity to revoke first, e.g. app.platform1')
    .action(async (org: string, enrollmentId: string | undefined) => {
      process.exitCode = await runNetworkScript('publish-crl.sh', [
        org,
        ...(enrollmentId === undefined ? [] : [enrollmentId]),
      ]);
    });
  withExamples(
    command,
    'crowdledger network publish-crl platform1 app2.platform1',
    'crowdledger network publish-crl registry   # publish revocations already made',
  );
}

function addLogsCommand(network: Command): void {
  const command = network
    .command('logs')
    .description('show the latest log lines of one node, or of every node')
    .argument('[node]', 'node name such as peer0.platform1 or orderer0.registry')
    .option('-n, --lines <count>', 'lines per node', parseLineCount)
    .action(async (node: string | undefined, options: { lines?: number }) => {
      process.exitCode = await runNetworkScript('logs.sh', logsArguments(node, options.lines));
    });
  withExamples(command, 'crowdledger network logs', 'crowdledger network logs peer0.platform1 --lines 200');
}

/** logs.sh takes [node] [lines]; an empty node with a count means every node. */
export function logsArguments(node: string | undefined, lines: number | undefined): string[] {
  if (lines === undefined) {
    return node === undefined ? [] : [node];
  }
  return [node ?? '', String(lines)];
}

export function parseLineCount(value: string): number {
  if (!/^[1-9]\d{0,6}$/.test(value)) {
    throw new InvalidArgumentError('expected a whole number of lines from 1 to 9999999');
  }
  return Number(value);
}

function addStatusCommand(network: Command): void {
  const command = network
    .command('status')
    .description(
      'show every node: process, health and block height (exit 3 if any is down, 4 if none exists)',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      process.exitCode = await showStatus(options.json === true);
    });
  withExamples(command, 'crowdledger network status', 'crowdledger network status --json | jq .nodes');
}

async function showStatus(json: boolean): Promise<number> {
  const layout = await readLayout(crowdledgerHome());
  const statuses = await Promise.all(layout.nodes.map((node) => probeNode(node, layout.channel)));
  if (json) {
    console.log(JSON.stringify(statusJson(layout.home, layout.channel, statuses), null, 2));
  } else {
    console.log(formatStatusTable(statuses));
    console.log(`\n${formatSummary(statuses)}`);
  }
  return statuses.every((s) => s.state === 'up') ? ExitCode.ok : ExitCode.someDown;
}
