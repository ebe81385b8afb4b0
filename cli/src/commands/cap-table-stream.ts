// `assets holders` without --at-block: the cap table written page by page as
// the pages arrive (the SDK reads the next one meanwhile), in every format,
// so memory holds two pages and not the register: flat for 100,000 holders.
import {
  CAP_TABLE_PAGE_SIZE,
  type CapTableEntry,
  CERTIFICATE_STATES,
  type CrowdLedgerClient,
} from '@crowdledger/client';
import { type Cell, csvField, type Format, formatCsv, formatJson } from '../output';
import {
  CAP_TABLE_AT_CSV_HEAD,
  CAP_TABLE_AT_HEAD,
  capTableAtCells,
  type CapTableAtRow,
  capTableAtRows,
} from './cap-table-rows';

/** Where streamed output goes: process.stdout, or a fake in tests. */
export interface OutputSink {
  write(text: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** The text of one format, made a page at a time: what comes before the first page, each page, what ends it. */
interface PageFormat {
  page(rows: readonly CapTableAtRow[], first: boolean): string;
  end(holders: number): string;
}

/** RFC 4180: the header, then a CRLF record per holder. */
function csvFormat(): PageFormat & { readonly start: string } {
  return {
    start: formatCsv(CAP_TABLE_AT_CSV_HEAD, []),
    page: (rows) =>
      capTableAtCells(rows)
        .map((cells) => `${cells.map(csvField).join(',')}\r\n`)
        .join(''),
    end: () => '',
  };
}

/**
 * The same document `--json` always printed, byte for byte: `formatJson` of
 * {assetId, totalUnits, holders}, with the holders array written a page at
 * a time, so `jq .holders` reads it as before.
 */
function jsonFormat(assetId: string, totalUnits: number): PageFormat & { readonly start: string } {
  const shell = formatJson({ assetId, totalUnits, holders: [] });
  const open = shell.lastIndexOf('[]');
  const indent = (text: string): string => text.replace(/^/gm, '    ');
  return {
    start: shell.slice(0, open + 1),
    page: (rows, first) => (first ? '\n' : ',\n') + rows.map((r) => indent(formatJson(r))).join(',\n'),
    end: (holders) => `${holders === 0 ? '' : '\n  '}${shell.slice(open + 1)}\n`,
  };
}

/** A cell's width in the table; every cap table cell is ASCII. */
const width = (cell: Cell): number => String(cell).length;

/**
 * The table as `formatTable` lays it out (cells padded, two spaces apart),
 * a page at a time. Columns are as wide as their header, their widest cell
 * so far, and what the asset allows (units and escrow at most its total,
 * a share at most 100.00, a certificate state at most the longest state),
 * so later pages line up with the first; only a serial longer than any
 * before it widens its own line.
 */
function tableFormat(totalUnits: number): PageFormat & { readonly start: string } {
  const units = String(totalUnits).length;
  const state = Math.max(...CERTIFICATE_STATES.map((s) => s.length));
  // The last column aligns nothing after it: its cells are only padded.
  const widths = [0, units, '100.00'.length, units, state, 0, 0].map((bound, i) =>
    Math.max(bound, CAP_TABLE_AT_HEAD[i]?.length ?? 0),
  );
  const line = (cells: readonly Cell[]): string =>
    cells.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ');
  const grow = (rows: readonly (readonly Cell[])[]): void => {
    for (const cells of rows) {
      cells.forEach((cell, i) => {
        widths[i] = Math.max(widths[i] ?? 0, width(cell));
      });
    }
  };
  let headed = false;
  const head = (): string => {
    headed = true;
    return `${line(CAP_TABLE_AT_HEAD)}\n`;
  };
  return {
    start: '',
    page: (rows) => {
      const cells = capTableAtCells(rows);
      grow(cells);
      return (headed ? '' : head()) + cells.map((c) => `${line(c)}\n`).join('');
    },
    end: () => (headed ? '' : head()),
  };
}

/** The cap table's entries in pages of CAP_TABLE_PAGE_SIZE, as the SDK reads them. */
async function* capTablePages(
  client: Pick<CrowdLedgerClient, 'assets'>,
  assetId: string,
): AsyncGenerator<CapTableEntry[]> {
  let page: CapTableEntry[] = [];
  for await (const entry of client.assets.allCapTable(assetId)) {
    page.push(entry);
    if (page.length === CAP_TABLE_PAGE_SIZE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) {
    yield page;
  }
}

function pageFormat(
  format: Format,
  assetId: string,
  totalUnits: number,
): PageFormat & { readonly start: string } {
  switch (format) {
    case 'csv':
      return csvFormat();
    case 'json':
      return jsonFormat(assetId, totalUnits);
    case 'table':
      return tableFormat(totalUnits);
  }
}

/**
 * Writes the cap table in `format` page by page as the pages arrive: a
 * page's rows go out before the next page is asked for. Waits for the sink
 * to drain when it is full, so a slow reader never makes the CLI buffer the
 * table. The asset is read first: ASSET_NOT_FOUND writes nothing. A failure
 * part way leaves the pages already written (and exits 1). Returns the
 * number of holders written.
 */
export async function streamCapTable(
  client: Pick<CrowdLedgerClient, 'assets'>,
  assetId: string,
  format: Format,
  sink: OutputSink,
): Promise<number> {
  const asset = await client.assets.get(assetId);
  const text = pageFormat(format, asset.assetId, asset.totalUnits);
  const flush = async (chunk: string): Promise<void> => {
    if (chunk !== '' && !sink.write(chunk)) {
      await new Promise<void>((resolve) => sink.once('drain', resolve));
    }
  };
  await flush(text.start);
  let holders = 0;
  for await (const entries of capTablePages(client, assetId)) {
    const rows = capTableAtRows({ holders: entries, asset });
    await flush(text.page(rows, holders === 0));
    holders += entries.length;
  }
  await flush(text.end(holders));
  return holders;
}
