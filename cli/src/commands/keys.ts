import { consentSigner, isCrowdLedgerError, type TransactionKey } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { newKeyPair, removeKeyFile, writeKeyFile } from '../input/key-file';
import { type Cell, printResult, sentenceAndFacts } from '../output';
import { step } from '../progress';
import { withExamples } from './shared/help';
import { withWriteOptions, writeConnection, type WriteOptions } from './shared/write-options';

interface CreateOptions extends WriteOptions {
  readonly out: string;
}

export function keyFacts(key: TransactionKey): Cell[][] {
  return [
    ['user', key.userId],
    ['key ID', key.keyId],
    ['algorithm', key.algorithm],
    ['registered at', key.registeredAt],
    ['public key', key.publicKey],
  ];
}

/** `crowdledger keys …`: users' transaction keys (R7), key pairs the users hold. */
export function registerKeysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description("users' transaction keys: make a key file and register its public key, show a user's key");
  withExamples(
    keys,
    'crowdledger keys create U0123… --org platform1 --out zhang.key',
    'crowdledger keys show U0123…',
  );
  addCreateCommand(keys);
  addShowCommand(keys);
}

function addCreateCommand(keys: Command): void {
  const create = withWriteOptions(
    keys
      .command('create')
      .description(
        "make a user's transaction key pair: the private key goes to --out (owner-only), the public key is registered, signed by the new key; replaces any key the user had",
      )
      .argument('<userId>', "one of the platform's users, U + 32 hex digits"),
  )
    .requiredOption(
      '--out <file>',
      'a new file for the private key (PKCS#8 PEM, mode 0600); never overwritten',
    )
    .action(async (userId: string, options: CreateOptions) => {
      const { before, after } = await createKey(userId, options);
      printResult(options, {
        value: after,
        human: () => sentenceAndFacts(createSentence(after, before, options.out), keyFacts(after)),
      });
    });
  withExamples(
    create,
    'crowdledger keys create U0123… --org platform1 --out zhang.key',
    'crowdledger keys create U0123… --org platform1 --out zhang-new-phone.key   # a lost device: the old key is refused from now on',
  );
}

/** Writes the key file first, so a key is never registered that nobody holds; removes it if registration fails. */
async function createKey(
  userId: string,
  options: CreateOptions,
): Promise<{ before: TransactionKey | undefined; after: TransactionKey }> {
  const { privateKey, publicKey } = newKeyPair();
  await writeKeyFile(options.out, privateKey);
  try {
    return await withClient(writeConnection(options), async (c) => {
      const before = await c.keys.get(userId).catch((error: unknown) => {
        if (isCrowdLedgerError(error) && error.code === 'KEY_NOT_SET') {
          return undefined;
        }
        throw error;
      });
      const after = await step(`registering the transaction key of ${userId} (signed by the new key)`, () =>
        c.keys.register(userId, publicKey, consentSigner(privateKey)),
      );
      return { before, after };
    });
  } catch (error) {
    await removeKeyFile(options.out);
    throw error;
  }
}

/** What `create` did, in a sentence; `before` is the key it replaced. */
export function createSentence(
  key: TransactionKey,
  before: TransactionKey | undefined,
  file: string,
): string {
  const held = `its private key is in ${file}, readable by you only: it signs every act that moves this user's units`;
  if (before === undefined || before.keyId === key.keyId) {
    return `Transaction key ${key.keyId} of ${key.userId} registered; ${held}.`;
  }
  return `Transaction key ${key.keyId} of ${key.userId} registered in place of ${before.keyId}, which is refused from now on; ${held}.`;
}

function addShowCommand(keys: Command): void {
  const show = withConnectionOptions(
    keys
      .command('show')
      .description("show a user's current public transaction key (KEY_NOT_SET when none is registered)")
      .argument('<userId>', 'the user ID, U + 32 hex digits'),
  )
    .option('--json', 'print the key as JSON')
    .action(async (userId: string, options: ConnectionOptions & { readonly json?: boolean }) => {
      const key = await withClient(options, (c) => c.keys.get(userId));
      printResult(options, {
        value: key,
        human: () => sentenceAndFacts(`${userId} signs with key ${key.keyId}.`, keyFacts(key)),
      });
    });
  withExamples(show, 'crowdledger keys show U0123…', 'crowdledger keys show U0123… --org platform2 --json');
}
