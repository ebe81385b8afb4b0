import { type HistoryEntry, type HistoryKind, type HistoryRecords, HISTORY_KINDS } from '@crowdledger/client';
import { type Command, InvalidArgumentError } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { type Cell, type FormatOptions, formatOf, printRows } from '../output';
import { withExamples } from './shared/help';

type HistoryOptions = ConnectionOptions & FormatOptions;

export function parseHistoryKind(value: string): HistoryKind {
  const kind = HISTORY_KINDS.find((k) => k === value);
  if (kind === undefined) {
    throw new InvalidArgumentError(`expected one of ${HISTORY_KINDS.join(', ')}`);
  }
  return kind;
}

type Summaries = { readonly [K in HistoryKind]: (record: HistoryRecords[K]) => string };

// A compliance reader scans a history for what changed: one line of the fields that move.
const SUMMARIES: Summaries = {
  user: (u) => `${u.status} on ${u.platform}`,
  asset: (a) => `${a.status}, ${String(a.totalUnits)} units`,
  holding: (h) => `${String(h.units)} units, ${String(h.escrowed)} in escrow, certificate ${h.certificate}`,
  certificate: (c) =>
    c.status === 'REVOKED'
      ? `REVOKED serial ${c.serial}${c.revocationReason === undefined ? '' : ` (${c.revocationReason})`}`
      : `ACTIVE serial ${c.serial}`,
  listing: (l) => `${l.status}, ${String(l.remaining)} of ${String(l.units)} units left`,
  offer: (o) => `${o.status}, ${String(o.units)} units to ${o.buyerId}`,
  trade: (t) => `${String(t.units)} units, ${t.sellerId} to ${t.buyerId}, amount ${String(t.amount)}`,
};

export const HISTORY_HEAD = ['timestamp', 'transaction', 'change', 'state'] as const;
export const HISTORY_CSV_HEAD = ['timestamp', 'transaction', 'change', 'state', 'record_json'] as const;

/** One row per version, newest first as the ledger returns them; a delete has no state. */
export function historyCells<K extends HistoryKind>(
  kind: K,
  entries: readonly HistoryEntry<HistoryRecords[K]>[],
  withRecord: boolean,
): Cell[][] {
  const summary: (record: HistoryRecords[K]) => string = SUMMARIES[kind];
  return entries.map((e) => {
    const row: Cell[] = [
      e.timestamp,
      e.txId,
      e.isDelete ? 'delete' : 'write',
      e.value === null ? '' : summary(e.value),
    ];
    return withRecord ? [...row, e.value === null ? '' : JSON.stringify(e.value)] : row;
  });
}

/** `crowdledger audit history <kind> <id>`: every version of one record. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('compliance reads of the ledger');
  withExamples(audit, 'crowdledger audit history asset A0123…');

  const history = withConnectionOptions(
    audit
      .command('history')
      .description('every committed version of one record, newest first, with what it held')
      .argument('<kind>', `record kind: ${HISTORY_KINDS.join(', ')}`, parseHistoryKind)
      .argument(
        '<id>',
        'a user, asset, listing, offer or trade ID, or assetId/userId for holding and certificate',
      ),
  )
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV (with each version as JSON) instead of a table')
    .action(async (kind: HistoryKind, id: string, options: HistoryOptions) => {
      const format = formatOf(options);
      const entries = await withClient(options, (c) => c.audit.history(kind, id));
      printRows(format, {
        head: format === 'csv' ? HISTORY_CSV_HEAD : HISTORY_HEAD,
        rows: historyCells(kind, entries, format === 'csv'),
        json: entries,
      });
    });
  withExamples(
    history,
    'crowdledger audit history asset A0123…',
    'crowdledger audit history holding A0123…/U0456… --json',
    'crowdledger audit history listing L0123… --csv > listing-history.csv',
  );
}
