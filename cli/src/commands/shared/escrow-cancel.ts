// Listings and offers are both escrowed sales: cancelling one with the
// seller's key works the same way, so one command serves both groups.
import type { CrowdLedgerClient, KeyOptions } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../../connection';
import { printResult, sentenceAndFacts } from '../../output';
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

/** What the cancel and show commands need to know of one kind of escrowed sale. */
export interface EscrowRecordKind<R extends { readonly sellerId: string }> extends ShownRecord<R> {
  cancel(client: CrowdLedgerClient, id: string, key: KeyOptions): Promise<R>;
  /** Units that go back to the seller on cancelling. */
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
      human: () =>
        sentenceAndFacts(
          `Cancelled ${id}: ${String(kind.released(record))} units back to ${record.sellerId}.`,
          kind.facts(record),
        ),
    });
  });
  withExamples(cancel, ...help.examples);
}
