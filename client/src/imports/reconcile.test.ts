import { newCheckpoint } from './checkpoint';
import { planBatches, progressOf, reconcile } from './reconcile';
import type { RegisterFile, RegisterRow } from './register-csv';

const row = (n: number, units = 10): RegisterRow => ({
  row: n + 2,
  platformRef: `c-${String(n)}`,
  name: '张伟',
  idType: 'PASSPORT',
  idNumber: `E${String(1_000_000 + n)}`,
  units,
});

describe('planBatches', () => {
  it('cuts the valid rows into batches in file order, the last one shorter', () => {
    const rows = Array.from({ length: 5 }, (_, i) => row(i));
    expect(planBatches(rows, 2).map((b) => b.map((r) => r.row))).toEqual([[2, 3], [4, 5], [6]]);
    expect(planBatches([], 1000)).toEqual([]);
  });
});

describe('reconcile', () => {
  const file: RegisterFile = {
    rowsRead: 6,
    rows: Array.from({ length: 5 }, (_, i) => row(i)),
    rejected: [{ row: 7, code: 'UNITS_INVALID', reason: 'row 7: units must be …' }],
    sha256: 'f'.repeat(64),
  };

  it('counts holders written, already there and refused by the ledger, and units against the total', () => {
    const checkpoint = {
      ...newCheckpoint('A1', file.sha256, 2),
      batches: {
        '0': { written: 2, units: 20, skipped: 0, skippedUnits: 0, rejected: [] },
        '1': { written: 0, units: 0, skipped: 2, skippedUnits: 20, rejected: [] },
        '2': {
          written: 0,
          units: 0,
          skipped: 0,
          skippedUnits: 0,
          rejected: [{ row: 6, code: 'HOLDING_CONFLICT', reason: 'row 6: …' }],
        },
      },
    };
    const report = reconcile(file, checkpoint, { declaredTotal: 60, batchesTotal: 3, thisRun: ['1', '2'] });
    expect(report).toEqual({
      assetId: 'A1',
      rowsRead: 6,
      validRows: 5,
      unitsInRegister: 50,
      declaredTotal: 60,
      holdersWritten: 2,
      holdersWrittenThisRun: 0,
      holdersAlreadyImported: 2,
      holdersOnLedger: 4,
      unitsOnLedger: 40,
      balanced: false,
      rejected: [
        { row: 6, code: 'HOLDING_CONFLICT', reason: 'row 6: …' },
        { row: 7, code: 'UNITS_INVALID', reason: 'row 7: units must be …' },
      ],
      batches: { total: 3, committed: 3, thisRun: 2 },
      finished: false,
    });
  });
});

describe('progressOf', () => {
  it("gives this run's rate and the time left at it", () => {
    const counts = { batchesDone: 3, batchesTotal: 10, holdersDone: 3000, holdersTotal: 10_000 };
    expect(progressOf(counts, 2000, 4000)).toEqual({ ...counts, holdersPerSecond: 500, secondsLeft: 14 });
    expect(progressOf(counts, 0, 0)).toEqual({ ...counts, holdersPerSecond: 0, secondsLeft: undefined });
  });
});
