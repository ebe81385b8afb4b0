import {
  checkProfileFiles,
  connect,
  loadProfile,
  type Profile,
  type ProfileCheck,
  toCrowdLedgerError,
} from '@crowdledger/client';
import type { Command } from 'commander';
import { profileFor } from '../connection';
import { deadlinesFromEnv } from '../deadlines';
import { CliError, ExitCode } from '../errors';
import { formatJson, formatTable } from '../output';
import { withExamples } from './shared/help';

interface CheckFlags {
  readonly connect?: boolean;
  readonly json?: boolean;
}

/** `crowdledger profile check`: a hand-written connection profile, checked before first use. */
export function registerProfileCommands(program: Command): void {
  const profile = program
    .command('profile')
    .description('check a connection profile, such as one written by hand for an existing network');
  withExamples(
    profile,
    'crowdledger profile check platform1',
    'crowdledger profile check ./alpha.json --connect',
  );
  const check = profile
    .command('check')
    .description(
      'validate a profile (an org name under the profiles folder, or a file): its fields, then every file it ' +
        "names (TLS roots in date, each identity's key matching its certificate, the reference secret " +
        'owner-only); --connect also has each identity evaluate identity:WhoAmI on each peer. Exit 1 when ' +
        'anything fails',
    )
    .argument(
      '<profile>',
      'an org (platform1: $CROWDLEDGER_PROFILES/platform1.json) or a path to a .json file',
    )
    .option(
      '--connect',
      'also call each peer as each identity (identity:WhoAmI, evaluated: nothing is written)',
    )
    .option('--json', 'print the checks as JSON')
    .action(async (name: string, flags: CheckFlags) => {
      process.exitCode = await checkProfile(profilePathOf(name), flags);
    });
  withExamples(
    check,
    'crowdledger profile check platform1',
    'crowdledger profile check /etc/crowdledger/alpha.json --connect',
  );
}

/** An org name is a file under the profiles folder; anything with a slash or ending in .json is a path. */
export function profilePathOf(name: string): string {
  return name.includes('/') || name.endsWith('.json') ? name : profileFor(name);
}

/** The profile, or a CliError with the SDK's `CODE: sentence` (PROFILE_NOT_FOUND, INVALID_PROFILE). */
async function load(path: string): Promise<Profile> {
  try {
    return await loadProfile(path);
  } catch (error) {
    const failure = toCrowdLedgerError(error);
    throw new CliError(`${failure.rawCode}: ${failure.sentence}`, ExitCode.failed, { cause: error });
  }
}

async function checkProfile(path: string, flags: CheckFlags): Promise<number> {
  const profile = await load(path);
  const checks = [
    {
      what: 'fields',
      ok: true,
      detail: `${profile.org} (${profile.mspId}) on ${profile.channel}/${profile.chaincode}`,
    },
    ...(await checkProfileFiles(profile)),
  ];
  if (flags.connect === true && checks.every((c) => c.ok)) {
    checks.push(...(await callEveryPeer(path)));
  }
  console.log(
    flags.json === true
      ? formatJson(checks)
      : formatTable(
          ['check', 'ok', 'detail'],
          checks.map((c) => [c.what, c.ok ? '✓' : '✗', c.detail]),
        ),
  );
  return checks.every((c) => c.ok) ? 0 : ExitCode.failed;
}

/** identity:WhoAmI evaluated on each peer as each identity: TLS, MSP membership and the chaincode answer. */
async function callEveryPeer(path: string): Promise<ProfileCheck[]> {
  const profile = await load(path);
  const deadlinesMs = deadlinesFromEnv();
  const calls = profile.peers.flatMap((peer) =>
    Object.keys(profile.identities).map((identity) => ({ peer: peer.name, identity })),
  );
  return Promise.all(
    calls.map(async ({ peer, identity }): Promise<ProfileCheck> => {
      const what = `${identity} on ${peer}`;
      try {
        const connection = await connect({
          profilePath: path,
          identity,
          peer,
          deadlinesMs,
        });
        try {
          const answer = await connection.contract('identity').evaluateTransaction('WhoAmI');
          return { what, ok: true, detail: new TextDecoder().decode(answer) };
        } finally {
          connection.close();
        }
      } catch (error) {
        const failure = toCrowdLedgerError(error);
        return { what, ok: false, detail: `${failure.rawCode}: ${failure.sentence}` };
      }
    }),
  );
}
