// `<group> show <id>`: one record as a field/value table, or JSON. Assets,
// users, listings and offers all read this way.
import type { CrowdLedgerClient } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../../connection';
import { type Cell, formatJson, formatTable } from '../../output';
import { withExamples } from './help';

/** How to find one kind of record and what to show of it. */
export interface ShownRecord<R> {
  /** e.g. `<listingId>`, and its help. */
  readonly idArgument: readonly [string, string];
  read(client: CrowdLedgerClient, id: string): Promise<R>;
  facts(record: R): Cell[][];
}

export interface CommandHelp {
  readonly description: string;
  readonly examples: readonly string[];
}

export function addShowCommand<R>(group: Command, kind: ShownRecord<R>, help: CommandHelp): void {
  const show = withConnectionOptions(
    group
      .command('show')
      .description(help.description)
      .argument(...kind.idArgument),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (id: string, options: ConnectionOptions & { json?: boolean }) => {
      const record = await withClient(options, (c) => kind.read(c, id));
      console.log(
        options.json === true ? formatJson(record) : formatTable(['field', 'value'], kind.facts(record)),
      );
    });
  withExamples(show, ...help.examples);
}
