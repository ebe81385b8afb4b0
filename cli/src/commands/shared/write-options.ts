// What every write command shares: the acting platform (--org, required:
// a write on the wrong platform's behalf must never be a default), --json,
// --quiet, and the user's transaction key file that signs the request.
import type { ConsentOptions } from '@crowdledger/client';
import { type Command, Option } from 'commander';
import { type ConnectionOptions, parseOrg } from '../../connection';
import { readSigner } from '../../input/key-file';
import { processIo } from '../../input/secret';

export interface WriteOptions {
  readonly org: string;
  readonly identity?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

export interface SignerOption {
  /** The user's transaction key file, as `keys create --out` wrote it. */
  readonly signer: string;
}

/** Adds --org (required), --identity and --json to a write command. */
export function withWriteOptions(command: Command): Command {
  return command
    .requiredOption(
      '--org <org>',
      'the acting platform: platform1, platform2, … (registry acts as its admin)',
      parseOrg,
    )
    .option('--identity <name>', 'identity in the profile (default: app, which on registry is its admin)')
    .option('--json', 'print the result as JSON');
}

/** Adds -q/--quiet: print only the new record's ID, for `ID=$(crowdledger …)`. */
export function withQuiet(command: Command, what: string): Command {
  return command.addOption(
    new Option('-q, --quiet', `print only the new ${what}, for use in scripts`).conflicts('json'),
  );
}

/**
 * Writes go as the profile's `app` identity: on a platform its application
 * (crowdledger.role=platform), on the registry its admin (role=admin; the
 * profile's `admin` is the Fabric MSP admin, which has no CrowdLedger role).
 */
export function writeConnection(options: WriteOptions): ConnectionOptions {
  return { org: options.org, identity: options.identity ?? WRITE_IDENTITY };
}

export const WRITE_IDENTITY = 'app';

/**
 * Adds --signer FILE (required): the user's transaction key file, which
 * signs the request here; the key itself is never an argument, and never
 * leaves this machine.
 */
export function withSigner(command: Command, whose: string): Command {
  return command.requiredOption(
    '--signer <file>',
    `the ${whose} transaction key file (made by \`crowdledger keys create\`): signs the request`,
  );
}

/** The signer --signer names, for a call that moves the user's units. */
export async function consentOf(options: SignerOption): Promise<ConsentOptions> {
  return { signer: await readSigner(options.signer, processIo()) };
}
