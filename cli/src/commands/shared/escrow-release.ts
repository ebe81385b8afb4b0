// Listings and offers are both escrowed sales, and their escrow goes back to
// the seller the same two ways: cancelled with the seller's signature, or
// expired past its time by anyone (any platform, or the registry admin; no
// signature), so one pair of commands serves both groups.
import type { ConsentOptions, CrowdLedgerClient } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../../connection';
import { type Cell, printResult, sentenceAndFacts } from '../../output';
import { step } from '../../progress';
import { withExamples } from './help';
import type { CommandHelp, ShownRecord } from './show-record';
import {
  consentOf,
  type SignerOption,
  withSigner,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './write-options';

/** What the cancel, expire and show commands need to know of one kind of escrowed sale. */
export interface EscrowRecordKind<R extends { readonly sellerId: string }> extends ShownRecord<R> {
  /** Cancels the record with its seller's signature. */
  cancel(client: CrowdLedgerClient, record: R, consent: ConsentOptions): Promise<R>;
  expire(client: CrowdLedgerClient, id: string): Promise<R>;
  /** Units that go back to the seller on cancelling or expiring. */
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
      const found = await kind.read(c, id);
      const consent = await consentOf(options);
      return step(`cancelling ${id} for ${found.sellerId} (signed)`, () => kind.cancel(c, found, consent));
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
