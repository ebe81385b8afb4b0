// Listings and offers are both escrowed sales: cancelling one with the
// seller's key and showing one work the same way, so one pair of commands
// serves both groups.
import type { CrowdLedgerClient, KeyOptions } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { type Cell, formatTable } from '../output';
import { step } from '../progress';
import { withExamples } from './help';
import {
  type KeyFileOption,
  printResult,
  sentenceAndFacts,
  transactionKey,
  withKeyFile,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './write';

/** What the cancel and show commands need to know of one kind of escrowed sale. */
export interface EscrowRecordKind<R extends { readonly sellerId: string }> {
  /** e.g. `<listingId>`, and its help. */
  readonly idArgument: readonly [string, string];
  read(client: CrowdLedgerClient, id: string): Promise<R>;
  cancel(client: CrowdLedgerClient, id: string, key: KeyOptions): Promise<R>;
  /** Units that go back to the seller on cancelling. */
  released(record: R): number;
  facts(record: R): Cell[][];
}

interface Described {
  readonly description: string;
  readonly examples: readonly string[];
}

export function addEscrowCancelCommand<R extends { readonly sellerId: string }>(
  group: Command,
  kind: EscrowRecordKind<R>,
  help: Described,
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

export function addEscrowShowCommand<R extends { readonly sellerId: string }>(
  group: Command,
  kind: EscrowRecordKind<R>,
  help: Described,
): void {
  const show = withConnectionOptions(
    group
      .command('show')
      .description(help.description)
      .argument(...kind.idArgument),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (id: string, options: ConnectionOptions & { json?: boolean }) => {
      const record = await withClient(options, (c) => kind.read(c, id));
      printResult(options, {
        value: record,
        human: () => formatTable(['field', 'value'], kind.facts(record)),
      });
    });
  withExamples(show, ...help.examples);
}
