// What every write command shares: the acting platform (--org, required:
// a write on the wrong platform's behalf must never be a default), --json,
// --quiet, and the transaction key from a file, a pipe or a hidden prompt.
import type { KeyOptions } from '@crowdledger/client';
import { type Command, Option } from 'commander';
import { type ConnectionOptions, parseOrg } from '../../connection';
import { checkTransactionKey, processIo, readSecret } from '../../input/secret';

export interface WriteOptions {
  readonly org: string;
  readonly identity?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

export interface KeyFileOption {
  readonly keyFile?: string;
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

/** Adds --key-file; the key is never an argument (see input/secret.ts). */
export function withKeyFile(command: Command, whose: string): Command {
  return command.option(
    '--key-file <file>',
    `read the ${whose} transaction key from this file (- for stdin); without it, a hidden prompt on a terminal, else stdin`,
  );
}

/** The user's transaction key, read as --key-file says, and checked. */
export async function transactionKey(
  options: KeyFileOption,
  userId: string,
  confirm = false,
): Promise<KeyOptions> {
  const key = await readSecret(
    { what: `transaction key of ${userId}`, file: options.keyFile, confirm },
    processIo(),
  );
  return { key: checkTransactionKey(key) };
}
