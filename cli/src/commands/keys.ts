import type { KeyStatus } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../connection';
import { type Cell, count, printResult, sentenceAndFacts } from '../output';
import { step } from '../progress';
import { withExamples } from './shared/help';
import {
  type KeyFileOption,
  transactionKey,
  withKeyFile,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './shared/write-options';

type SetOptions = WriteOptions & KeyFileOption;

export function keyFacts(status: KeyStatus): Cell[][] {
  return [
    ['user', status.userId],
    ['wrong keys in a row', status.failures],
    ['locked', status.locked ? 'yes' : 'no'],
    ['set at', status.setAt],
  ];
}

/** `crowdledger keys …`: users' transaction keys (R7), set by their own platform. */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description("set, reset and check users' transaction keys");
  withExamples(
    keys,
    'crowdledger keys set U0123… --org platform1',
    'crowdledger keys status U0123… --org platform1',
  );
  addSetCommand(keys, 'set', "set a user's first transaction key, or replace it");
  addSetCommand(keys, 'reset', 'replace a locked or forgotten key: clears the failures and unlocks the user');
  addStatusCommand(keys);
}

function addSetCommand(keys: Command, name: 'set' | 'reset', description: string): void {
  const command = withKeyFile(
    withWriteOptions(
      keys
        .command(name)
        .description(`${description}; the key travels only in the transient map and is stored as Argon2id`)
        .argument('<userId>', "one of the platform's users, U + 32 hex digits"),
    ),
    "user's new",
  ).action(async (userId: string, options: SetOptions) => {
    // Asked twice at a prompt: a typo would lock the user out at their first trade.
    const key = await transactionKey(options, userId, true);
    const { before, after } = await withClient(writeConnection(options), async (c) => ({
      before: name === 'reset' ? await c.keys.status(userId) : undefined,
      after: await step(`setting the transaction key of ${userId}`, () => c.keys.set(userId, key.key)),
    }));
    printResult(options, {
      value: after,
      human: () => sentenceAndFacts(setSentence(userId, before), keyFacts(after)),
    });
  });
  withExamples(
    command,
    `crowdledger keys ${name} U0123… --org platform1`,
    `crowdledger keys ${name} U0123… --org platform1 --key-file pin.txt`,
    `printf '%s' "$PIN" | crowdledger keys ${name} U0123… --org platform1`,
  );
}

/** What `set` or `reset` did, in a sentence; `before` is the status a reset replaced. */
export function setSentence(userId: string, before: KeyStatus | undefined): string {
  if (before === undefined) {
    return `Transaction key of ${userId} set.`;
  }
  const wrong = count(before.failures, 'wrong key');
  const was = before.locked ? `was locked after ${wrong}` : `had ${wrong} in a row`;
  return `Transaction key of ${userId} reset: it ${was}; failures cleared, trading unlocked.`;
}

function addStatusCommand(keys: Command): void {
  // Only the user's platform or the registry admin may read it, so --org is required as for writes.
  const status = withWriteOptions(
    keys
      .command('status')
      .description(
        "show a user's wrong keys in a row and lock, never the key (the user's platform, or registry as its admin)",
      )
      .argument('<userId>', 'the user ID, U + 32 hex digits'),
  ).action(async (userId: string, options: WriteOptions) => {
    const found = await withClient(writeConnection(options), (c) => c.keys.status(userId));
    printResult(options, {
      value: found,
      human: () => sentenceAndFacts(statusSentence(found), keyFacts(found)),
    });
  });
  withExamples(
    status,
    'crowdledger keys status U0123… --org platform1',
    'crowdledger keys status U0123… --org registry --json',
  );
}

function statusSentence(status: KeyStatus): string {
  return status.locked
    ? `${status.userId} is locked: their platform must reset the key (crowdledger keys reset).`
    : `${status.userId} may trade.`;
}
