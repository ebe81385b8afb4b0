import Table from 'cli-table3';
import { PLAIN } from './table';

/** A cell of a table or CSV row. */
export type Cell = string | number;

/** An aligned, borderless table (PLAIN style) with a header row. */
export function formatTable(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const table = new Table({ head: [...head], ...PLAIN });
  for (const row of rows) {
    table.push(row.map(String));
  }
  return table.toString();
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. */
export function csvField(value: Cell): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 text: a header record, then one record per row, each ended by CRLF. */
export function formatCsv(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [head, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/**
 * `units` as a percentage of `total` with two decimals, rounded half up,
 * computed with integers only (no floating-point drift): 1 of 3 is "33.33".
 */
export function sharePercent(units: number, total: number): string {
  if (!Number.isSafeInteger(units) || !Number.isSafeInteger(total) || units < 0 || total <= 0) {
    throw new RangeError(`cannot take a share of ${String(units)} in ${String(total)}`);
  }
  const u = BigInt(units);
  const t = BigInt(total);
  // Hundredths of a percent: units × 10000 / total, rounded half up.
  const hundredths = (u * 20000n + t) / (2n * t);
  return `${String(hundredths / 100n)}.${String(hundredths % 100n).padStart(2, '0')}`;
}

/** Pretty JSON, as every --json option prints it. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** What a read prints: a table or CSV from `head` and `rows`, or `json` as it is. */
export interface Rows {
  readonly head: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly json: unknown;
}

/** Prints a read in the format its options chose; CSV goes out unchanged (CRLF records). */
export function printRows(format: 'table' | 'json' | 'csv', output: Rows): void {
  if (format === 'json') {
    console.log(formatJson(output.json));
  } else if (format === 'csv') {
    process.stdout.write(formatCsv(output.head, output.rows));
  } else {
    console.log(formatTable(output.head, output.rows));
  }
}
