import { join } from 'node:path';
import {
  ClientErrorCode,
  CrowdLedger,
  type CrowdLedgerClient,
  type CrowdLedgerError,
  type IdentityCredentials,
  toCrowdLedgerError,
} from '@crowdledger/client';
import { type Command, InvalidArgumentError } from 'commander';
import { deadlinesFromEnv } from './deadlines';
import { CliError, ExitCode } from './errors';
import { profilesDir } from './paths';

/** The options every ledger query takes: whose profile, and which of its identities. */
export interface ConnectionOptions {
  readonly org: string;
  readonly identity?: string;
}

export const DEFAULT_ORG = 'registry';

/** The registry reads as its auditor; a platform as its application. */
export function defaultIdentity(org: string): string {
  return org === DEFAULT_ORG ? 'auditor' : 'app';
}

/** An org name is a profile's file name in the profiles folder (paths.ts profilesDir). */
export function parseOrg(value: string): string {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(value)) {
    throw new InvalidArgumentError('expected an org such as registry or platform1');
  }
  return value;
}

export function profileFor(org: string, dir: string = profilesDir()): string {
  return join(dir, `${org}.json`);
}

/** Adds --org and --identity to a command. */
export function withConnectionOptions(command: Command): Command {
  return command
    .option('--org <org>', 'whose connection profile to use: registry, platform1, …', parseOrg, DEFAULT_ORG)
    .option('--identity <name>', 'identity in the profile (default: auditor for registry, app otherwise)');
}

const NO_NETWORK: ReadonlySet<string> = new Set([ClientErrorCode.unavailable, ClientErrorCode.timeout]);

/** The sentence main prints for an SDK failure: `CODE: sentence`, with a hint when there is no network. */
export function describeFailure(error: CrowdLedgerError, org: string, dir: string): string {
  const base = `${error.rawCode}: ${error.sentence}`;
  if (error.code === ClientErrorCode.profileNotFound) {
    return `${base} (no network profile for ${org} in ${dir}: is the network up? try \`crowdledger network up\`)`;
  }
  if (NO_NETWORK.has(error.code)) {
    return `${base} (cannot reach the ${org} peer: is the network up? try \`crowdledger network status\`)`;
  }
  return base;
}

/** Connects as the options say, runs `use`, always closes; SDK failures become CliErrors (exit 1). */
export async function withClient<T>(
  options: ConnectionOptions,
  use: (client: CrowdLedgerClient) => Promise<T>,
): Promise<T> {
  return withClientAs(options.org, options.identity ?? defaultIdentity(options.org), use);
}

/** As withClient, with an identity of the profile by name or given as files (a holder's certificate). */
export async function withClientAs<T>(
  org: string,
  identity: string | IdentityCredentials,
  use: (client: CrowdLedgerClient) => Promise<T>,
): Promise<T> {
  const dir = profilesDir();
  let client: CrowdLedgerClient | undefined;
  try {
    client = await CrowdLedger.connect({
      profile: profileFor(org, dir),
      identity,
      deadlinesMs: deadlinesFromEnv(),
    });
    return await use(client);
  } catch (error) {
    if (error instanceof CliError) {
      throw error;
    }
    const failure = toCrowdLedgerError(error);
    throw new CliError(describeFailure(failure, org, dir), ExitCode.failed, { cause: error });
  } finally {
    client?.close();
  }
}
