// Reading a holder register kept elsewhere (a CSV export of the platform's
// own books) and checking every row with the rules the chaincode applies,
// so a bad row is reported by its row number instead of failing a batch.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import {
  ID_TYPES,
  type IdType,
  idNumberProblem,
  personNameProblem,
  REFERENCE_FORMAT,
} from '@crowdledger/protocol';
import { ClientErrorCode, CrowdLedgerError } from '../errors';

/** The register's columns; `id_type` may be left out (every holder then has a resident ID). */
export const REGISTER_COLUMNS = ['platform_ref', 'name', 'id_type', 'id_number', 'units'] as const;
const REQUIRED_COLUMNS = ['platform_ref', 'name', 'id_number', 'units'] as const;
type Column = (typeof REGISTER_COLUMNS)[number];

/** One holder of the register, checked. */
export interface RegisterRow {
  /** The row as a spreadsheet numbers it: the header is row 1, the first holder row 2. */
  readonly row: number;
  /** The platform's own reference for the holder: it keys the holder's user ID. */
  readonly platformRef: string;
  /** The holder's name, exactly as given. */
  readonly name: string;
  /** The identity document's type. */
  readonly idType: IdType;
  /** The document's number. */
  readonly idNumber: string;
  /** Units held, a whole number from 1. */
  readonly units: number;
}

/** Why a row was refused. Reasons name columns and rows, never a name, number or reference. */
export type RowRejectionCode =
  | 'ROW_MALFORMED'
  | 'REFERENCE_INVALID'
  | 'NAME_INVALID'
  | 'ID_TYPE_INVALID'
  | 'ID_NUMBER_INVALID'
  | 'UNITS_INVALID'
  | 'DUPLICATE_REFERENCE'
  | 'DUPLICATE_ID_NUMBER'
  /** The ledger refused it: the holder already holds other units of the asset. */
  | 'HOLDING_CONFLICT'
  /** The ledger refused it: the user is registered with other personal data. */
  | 'USER_DETAILS_MISMATCH';

/** A row left out of the import, and why. */
export interface RejectedRow {
  /** The row number (the header is row 1). */
  readonly row: number;
  /** What was wrong. */
  readonly code: RowRejectionCode | (string & {});
  /** A sentence without personal data. */
  readonly reason: string;
}

/** A register read and checked. */
export interface RegisterFile {
  /** Data rows read (the header not counted). */
  readonly rowsRead: number;
  /** The rows that passed every check, in file order. */
  readonly rows: readonly RegisterRow[];
  /** The rows that did not, in file order. */
  readonly rejected: readonly RejectedRow[];
  /** SHA-256 of the file's bytes, lower-case hex: a checkpoint belongs to one file. */
  readonly sha256: string;
}

const UNITS = /^[1-9][0-9]{0,15}$/;

function problem(row: number, code: RowRejectionCode, reason: string): RejectedRow {
  return { row, code, reason: `row ${String(row)}: ${reason}` };
}

function fieldsOf(record: readonly string[], columns: readonly Column[]): Map<Column, string> {
  return new Map(columns.map((column, i) => [column, record[i] ?? '']));
}

/** The row's ID type: the column's value, or RESIDENT_ID when the register has no such column. */
function idTypeOf(fields: ReadonlyMap<Column, string>): string {
  return fields.get('id_type') ?? 'RESIDENT_ID';
}

function isIdType(value: string): value is IdType {
  return (ID_TYPES as readonly string[]).includes(value);
}

type Check = (fields: ReadonlyMap<Column, string>) => { code: RowRejectionCode; reason: string } | undefined;

function textProblem(
  column: Column,
  code: RowRejectionCode,
  find: (value: string) => string | undefined,
): Check {
  return (fields) => {
    const found = find(fields.get(column) ?? '');
    return found === undefined ? undefined : { code, reason: `${column} ${found}` };
  };
}

/** The chaincode's rules, column by column, in the order a row is checked. */
const CHECKS: readonly Check[] = [
  textProblem('platform_ref', 'REFERENCE_INVALID', (value) =>
    value.length > REFERENCE_FORMAT.maxLength || !REFERENCE_FORMAT.pattern.test(value)
      ? `must be ${REFERENCE_FORMAT.expected}`
      : undefined,
  ),
  textProblem('name', 'NAME_INVALID', personNameProblem),
  (fields) =>
    isIdType(idTypeOf(fields))
      ? undefined
      : { code: 'ID_TYPE_INVALID', reason: `id_type must be one of ${ID_TYPES.join(', ')}` },
  (fields) => {
    const found = idNumberProblem(idTypeOf(fields) as IdType, fields.get('id_number') ?? '');
    return found === undefined ? undefined : { code: 'ID_NUMBER_INVALID', reason: `id_number ${found}` };
  },
  textProblem('units', 'UNITS_INVALID', (value) =>
    UNITS.test(value) && Number.isSafeInteger(Number(value))
      ? undefined
      : `must be a whole number from 1 to ${String(Number.MAX_SAFE_INTEGER)}, in digits`,
  ),
];

/** Checks one record against the chaincode's rules (protocol personal-data and ids). */
export function checkRecord(
  record: readonly string[],
  columns: readonly Column[],
  row: number,
): RegisterRow | RejectedRow {
  if (record.length !== columns.length) {
    return problem(
      row,
      'ROW_MALFORMED',
      `has ${String(record.length)} fields, the header ${String(columns.length)}`,
    );
  }
  const fields = fieldsOf(record, columns);
  for (const check of CHECKS) {
    const found = check(fields);
    if (found !== undefined) {
      return problem(row, found.code, found.reason);
    }
  }
  const get = (column: Column): string => fields.get(column) ?? '';
  const idType = idTypeOf(fields) as IdType;
  return {
    row,
    platformRef: get('platform_ref'),
    name: get('name'),
    idType,
    idNumber: get('id_number'),
    units: Number(get('units')),
  };
}

/** The header's columns, checked: every required one, no unknown or repeated one. */
export function registerColumns(header: readonly string[]): Column[] {
  const known = REGISTER_COLUMNS as readonly string[];
  const unknown = header.find((name) => !known.includes(name));
  const missing = REQUIRED_COLUMNS.find((name) => !header.includes(name));
  if (unknown !== undefined || missing !== undefined || new Set(header).size !== header.length) {
    throw new CrowdLedgerError(
      ClientErrorCode.invalidOptions,
      `the register's header must name the columns ${REQUIRED_COLUMNS.join(', ')} (and may name id_type), each once; ${unknown === undefined ? `${missing ?? 'a column'} is missing or repeated` : `${unknown} is not one of them`}`,
    );
  }
  return header as Column[];
}

/** Refuses a second row for the same reference or the same identity document. */
class DuplicateCheck {
  readonly #references = new Map<string, number>();
  readonly #documents = new Map<string, number>();

  check(row: RegisterRow): RejectedRow | undefined {
    const byReference = this.#references.get(row.platformRef);
    if (byReference !== undefined) {
      return problem(row.row, 'DUPLICATE_REFERENCE', `platform_ref repeats row ${String(byReference)}`);
    }
    const document = `${row.idType}\n${row.idNumber}`;
    const byDocument = this.#documents.get(document);
    if (byDocument !== undefined) {
      return problem(
        row.row,
        'DUPLICATE_ID_NUMBER',
        `id_type and id_number repeat row ${String(byDocument)}`,
      );
    }
    this.#references.set(row.platformRef, row.row);
    this.#documents.set(document, row.row);
    return undefined;
  }
}

/**
 * Reads and checks a register: UTF-8 (a byte-order mark is skipped), RFC 4180
 * quoting, a header row naming the columns. Fails FILE_UNREADABLE when the
 * file can't be read or is not CSV; a bad row is rejected with its number
 * and the rest go on.
 */
export async function readRegister(source: string | Readable): Promise<RegisterFile> {
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const hash = createHash('sha256');
  input.on('data', (chunk: Buffer | string) => hash.update(chunk));
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  // pipe() does not pass a read error on: the parser must end with it, or reading waits forever.
  input.once('error', (error: Error) => parser.destroy(error));
  const rows: RegisterRow[] = [];
  const rejected: RejectedRow[] = [];
  const duplicates = new DuplicateCheck();
  let columns: Column[] | undefined;
  let rowsRead = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (columns === undefined) {
        columns = registerColumns(record);
        continue;
      }
      rowsRead += 1;
      const checked = checkRecord(record, columns, rowsRead + 1);
      const refusal = 'code' in checked ? checked : duplicates.check(checked);
      if (refusal === undefined) {
        rows.push(checked as RegisterRow);
      } else {
        rejected.push(refusal);
      }
    }
  } catch (cause) {
    throw unreadable(source, cause);
  }
  return { rowsRead, rows, rejected, sha256: hash.digest('hex') };
}

function unreadable(source: string | Readable, cause: unknown): unknown {
  if (cause instanceof CrowdLedgerError) {
    return cause;
  }
  const what = typeof source === 'string' ? source : 'the register';
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new CrowdLedgerError(
    ClientErrorCode.fileUnreadable,
    `cannot read ${what} as a CSV register: ${detail}`,
    {
      cause,
    },
  );
}
