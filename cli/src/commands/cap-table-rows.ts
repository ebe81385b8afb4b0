// The cap table's lines as the CLI prints them: a holding, its share of the
// total, and the holder's certificate record; shared by the streamed
// current table and the one rebuilt at a block.
import type { Asset, CurrentCapTable, Holding } from '@crowdledger/client';
import { type Cell, sharePercent } from '../output';

/** One line of a cap table. */
export interface CapTableRow {
  readonly holder: string;
  readonly units: number;
  /** Percent of the asset's total units, two decimals. */
  readonly sharePercent: string;
  readonly escrowed: number;
  readonly certificate: string;
}

export const CAP_TABLE_HEAD = ['holder', 'units', 'share %', 'in escrow', 'certificate'] as const;
export const CAP_TABLE_CSV_HEAD = ['holder', 'units', 'share_percent', 'escrowed', 'certificate'] as const;

export function capTable(totalUnits: number, holdings: readonly Holding[]): CapTableRow[] {
  return holdings.map((h) => ({
    holder: h.userId,
    units: h.units,
    sharePercent: sharePercent(h.units, totalUnits),
    escrowed: h.escrowed,
    certificate: h.certificate,
  }));
}

/** A cap table line with the holder's certificate record, when one was on the ledger. */
export interface CapTableAtRow extends CapTableRow {
  readonly certificateSerial: string | null;
  readonly certificateStatus: 'ACTIVE' | 'REVOKED' | null;
}

export const CAP_TABLE_AT_HEAD = [...CAP_TABLE_HEAD, 'serial', 'record'] as const;
export const CAP_TABLE_AT_CSV_HEAD = [
  ...CAP_TABLE_CSV_HEAD,
  'certificate_serial',
  'certificate_status',
] as const;

export function capTableAtRows(table: {
  readonly asset: Pick<Asset, 'totalUnits'>;
  readonly holders: CurrentCapTable['holders'];
}): CapTableAtRow[] {
  const holdings = table.holders.map((h) => h.holding);
  return capTable(table.asset.totalUnits, holdings).map((row, i) => {
    const record = table.holders[i]?.certificate;
    return { ...row, certificateSerial: record?.serial ?? null, certificateStatus: record?.status ?? null };
  });
}

export function capTableAtCells(rows: readonly CapTableAtRow[]): Cell[][] {
  return rows.map((r) => [
    ...[r.holder, r.units, r.sharePercent, r.escrowed, r.certificate],
    ...[r.certificateSerial ?? '', r.certificateStatus ?? ''],
  ]);
}
