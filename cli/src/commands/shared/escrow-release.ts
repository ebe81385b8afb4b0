// Listings and offers are both escrowed sales, and their escrow goes back to
// the seller the same two ways: cancelled with the seller's key, or expired
// past its time by anyone (any platform, or the registry admin; no key), so
// one pair of commands serves both groups.
import type { CrowdLedgerClient, KeyOptions } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../../connection';
import { type Cell, printResult, sentenceAndFacts } from '../../output';
import { step } from '../../progress';
import { withExamples } from './help';
import type { CommandHelp, ShownRecord } from './show-record';
import {
  type KeyFileOption,
  transactionKey,
  withKeyFile,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './write-options';

/** What the cancel, expire and show commands need to know of one kind of escrowed sale. */
export interface EscrowRecordKind<R extends { readonly sellerId: string }> extends ShownRecord<R> {
  cancel(client: CrowdLedgerClient, id: string, key: KeyOptions): Promise<R>;
  expire(client: CrowdLedgerClient, id: string): Promise<R>;
  /** Units that go back to the seller on cancelling or expiring. */
  released(record: R): number;
}

export function addEscrowCancelCommand<R extends { readonly sellerId: string }>(
  group: Command,
  kind: EscrowRecordKind<R>,
  help: CommandHelp,
): void {
  const cancel = withKeyFile(
    withWriteOptions(
      group
        .command('cancel')
        .description(help.description)
        .argument(...kind.idArgument),
    ),
    "seller's",
  ).action(async (id: string, options: WriteOptions & KeyFileOption) => {
    const record = await withClient(writeConnection(options), async (c) => {
      // The seller is on the record: read it first so the prompt can name them.
      const { sellerId } = await kind.read(c, id);
      const key = await transactionKey(options, sellerId);
      return step(`cancelling ${id}`, () => kind.cancel(c, id, key));
    });
    printResult(options, {
      value: record,
      human: () => releasedText('Cancelled', id, kind.released(record), record.sellerId, kind.facts(record)),
    });
  });
  withExamples(cancel, ...help.examples);
}

export function addEscrowExpireCommand<R extends { readonly sellerId: string }>(
  group: Command,
  kind: EscrowRecordKind<R>,
  help: CommandHelp,
): void {
  const expire = withWriteOptions(
    group
      .command('expire')
      .description(help.description)
      .argument(...kind.idArgument),
  ).action(async (id: string, options: WriteOptions) => {
    const record = await withClient(writeConnection(options), (c) =>
      step(`expiring ${id}`, () => kind.expire(c, id)),
    );
    printResult(options, {
      value: record,
      human: () => releasedText('Expired', id, kind.released(record), record.sellerId, kind.facts(record)),
    });
  });
  withExamples(expire, ...help.examples);
}

/** "Cancelled L…: 70 units back to U…." and the record's facts. */
export function releasedText(
  verb: 'Cancelled' | 'Expired',
  id: string,
  units: number,
  sellerId: string,
  facts: readonly (readonly Cell[])[],
): string {
  return sentenceAndFacts(`${verb} ${id}: ${String(units)} units back to ${sellerId}.`, facts);
}
