// Listings and offers are both escrowed sales: cancelling one with the
// seller's signature works the same way, so one command serves both groups.
import type { ConsentOptions, CrowdLedgerClient } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../../connection';
import { printResult, sentenceAndFacts } from '../../output';
import { step } from '../../progress';
import { withExamples } from './help';
import type { CommandHelp, ShownRecord } from './show-record';
import {
  type SignerOption,
  consentOf,
  withSigner,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './write-options';

/** What the cancel and show commands need to know of one kind of escrowed sale. */
export interface EscrowRecordKind<R extends { readonly sellerId: string }> extends ShownRecord<R> {
  /** Cancels the record with its seller's signature. */
  cancel(client: CrowdLedgerClient, record: R, consent: ConsentOptions): Promise<R>;
  /** Units that go back to the seller on cancelling. */
  released(record: R): number;
}

export function addEscrowCancelCommand<R extends { readonly sellerId: string }>(
  group: Command,
  kind: EscrowRecordKind<R>,
  help: CommandHelp,
): void {
  const cancel = withSigner(
    withWriteOptions(
      group
        .command('cancel')
        .description(help.description)
        .argument(...kind.idArgument),
    ),
    "seller's",
  ).action(async (id: string, options: WriteOptions & SignerOption) => {
    const record = await withClient(writeConnection(options), async (c) => {
      // The seller who signs is on the record: read it first.
      const record = await kind.read(c, id);
      const consent = await consentOf(options);
      return step(`cancelling ${id} for ${record.sellerId} (signed)`, () => kind.cancel(c, record, consent));
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
