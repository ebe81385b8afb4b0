// Everything a command prints goes through here: tables, RFC 4180 CSV and
// JSON, amounts in yuan, shares in percent, and the result of a write.
import Table from 'cli-table3';
import { CliError, ExitCode } from './errors';
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

/** Minor units (fen) as a person reads an amount: 1250 → "12.50". */
export function major(minor: number): string {
  const whole = Math.trunc(minor / 100);
  return `${String(whole)}.${String(minor % 100).padStart(2, '0')}`;
}

/** "1 commitment", "2 commitments". */
export function count(n: number, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A CSV column name as a person reads it in a table: `price_per_unit` is "price/unit". */
export function readable(column: string): string {
  return column === 'price_per_unit' ? 'price/unit' : column.replaceAll('_', ' ');
}

/** Pretty JSON, as every --json option prints it. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The output flags of a read: --json or --csv, else a table. */
export interface FormatOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
}

export type Format = 'table' | 'json' | 'csv';

/** Picks one output format from mutually exclusive flags. */
export function formatOf(options: FormatOptions): Format {
  if (options.json === true && options.csv === true) {
    throw new CliError('choose one of --json and --csv', ExitCode.failed);
  }
  return options.json === true ? 'json' : options.csv === true ? 'csv' : 'table';
}

/** What a read prints: a table or CSV from `head` and `rows`, or `json` as it is. */
export interface Rows {
  readonly head: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly json: unknown;
}

/** Prints a read in the format its options chose; CSV goes out unchanged (CRLF records). */
export function printRows(format: Format, output: Rows): void {
  if (format === 'json') {
    console.log(formatJson(output.json));
  } else if (format === 'csv') {
    process.stdout.write(formatCsv(output.head, output.rows));
  } else {
    console.log(formatTable(output.head, output.rows));
  }
}

/** Prints JSON with --json, the ID alone with --quiet, else the human text. */
export function printResult(
  options: { readonly json?: boolean; readonly quiet?: boolean },
  result: { readonly value: unknown; readonly id?: string; readonly human: () => string },
): void {
  if (options.json === true) {
    console.log(formatJson(result.value));
  } else if (options.quiet === true && result.id !== undefined) {
    console.log(result.id);
  } else {
    console.log(result.human());
  }
}

/** A sentence, then a two-column table of facts. */
export function sentenceAndFacts(sentence: string, facts: readonly (readonly Cell[])[]): string {
  return `${sentence}\n\n${formatTable(['field', 'value'], facts)}`;
}
