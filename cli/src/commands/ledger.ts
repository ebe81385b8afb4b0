import { join } from 'node:path';
import { loadProfile } from '@crowdledger/client';
import { type Command, InvalidArgumentError } from 'commander';
import { isCliError, ExitCode } from '../errors';
import { crowdledgerHome, profilesDir } from '../paths';
import { nodeChains } from '../ledger/nodes';
import { networkFromProfiles } from '../ledger/profile-layout';
import { formatReport } from '../ledger/report';
import { type VerifyReport, verifyChains } from '../ledger/verify';
import { type NetworkLayout, readLayout } from '../status/layout';
import { withExamples } from './shared/help';

/** Exit status of `ledger verify` when it ran but found something wrong. */
export const INTEGRITY_FAILED = 2;

interface VerifyFlags {
  readonly fromFiles?: boolean;
  readonly consents?: boolean;
  readonly json?: boolean;
  readonly node?: string[];
  readonly maxLag: number;
  readonly progress: number;
}

/** `crowdledger ledger …`: the ledger's integrity, block by block, on every node (R10, R11). */
export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description("check the channel's ledger on every node");
  withExamples(ledger, 'crowdledger ledger verify', 'crowdledger ledger verify --from-files --json');
  const verify = ledger
    .command('verify')
    .description(
      'check every block on every peer and orderer: numbering, data hash, hash chain, orderer ' +
        'signatures, validation flags, and agreement across nodes (exit 2 when anything is wrong)',
    )
    .option('--from-files', "read each node's block files from disk instead of asking it over gRPC")
    .option(
      '--consents',
      "also re-check every user's signed request on each peer's chain against the key registered at that block",
    )
    .option('--json', 'print the report as JSON')
    .option('--node <name...>', 'only these peers or orderers')
    .option('--max-lag <blocks>', 'blocks a node may trail the highest one', parseCount, 0)
    .option(
      '--progress <blocks>',
      'a progress line on stderr every this many blocks (0: none)',
      parseCount,
      1000,
    )
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
  withExamples(
    verify,
    'crowdledger ledger verify',
    'crowdledger ledger verify --from-files',
    'crowdledger ledger verify --node peer0.platform1 orderer0.registry --json',
    'crowdledger ledger verify --consents --from-files',
  );
}

export function parseCount(value: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw new InvalidArgumentError('expected a whole number from 0 to 999999999');
  }
  return Number(value);
}

async function runVerify(flags: VerifyFlags): Promise<number> {
  const source = flags.fromFiles === true ? 'files' : 'deliver';
  const network = await networkToVerify(source);
  const report: VerifyReport = await verifyChains(
    nodeChains(network.layout, source, flags.node ?? [], profilesDir()),
    {
      channel: network.layout.channel,
      source,
      maxLag: flags.maxLag,
      progressEvery: flags.progress,
      onProgress: (line) => {
        console.error(line);
      },
      ...(flags.consents === true ? { consents: { chaincode: await network.chaincode() } } : {}),
    },
  );
  console.log(flags.json === true ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : INTEGRITY_FAILED;
}

/**
 * This project's network by its layout; without one (a network this project
 * did not create), the peers and orderers the connection profiles list, which
 * can be read over Deliver only.
 */
async function networkToVerify(
  source: 'files' | 'deliver',
): Promise<{ readonly layout: NetworkLayout; chaincode(): Promise<string> }> {
  try {
    const layout = await readLayout(crowdledgerHome());
    return { layout, chaincode: () => chaincodeName(profilesDir()) };
  } catch (error) {
    if (source === 'files' || !(isCliError(error) && error.exitCode === ExitCode.noNetwork)) {
      throw error;
    }
  }
  const network = await networkFromProfiles(profilesDir());
  return { layout: network.layout, chaincode: () => Promise.resolve(network.chaincode) };
}

/** The chaincode's name on the channel, as the registry's connection profile gives it. */
async function chaincodeName(profiles: string): Promise<string> {
  const profile = await loadProfile(join(profiles, 'registry.json'));
  return profile.chaincode;
}
