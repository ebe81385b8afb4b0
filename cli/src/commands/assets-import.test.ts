import type { ImportReport } from '@crowdledger/client';
import { duration, progressText, reportText } from './assets-import';

const report: ImportReport = {
  assetId: `A${'1'.repeat(32)}`,
  rowsRead: 5,
  validRows: 4,
  unitsInRegister: 40,
  declaredTotal: 50,
  holdersWritten: 3,
  holdersWrittenThisRun: 1,
  holdersAlreadyImported: 1,
  holdersOnLedger: 4,
  unitsOnLedger: 40,
  balanced: false,
  rejected: [{ row: 4, code: 'ID_NUMBER_INVALID', reason: 'row 4: id_number has a wrong check character' }],
  batches: { total: 2, committed: 2, thisRun: 1 },
  finished: false,
};

describe('assets import output', () => {
  it('shows holders, batch, rate and time left', () => {
    const line = progressText({
      batchesDone: 12,
      batchesTotal: 100,
      holdersDone: 12_000,
      holdersTotal: 100_000,
      holdersPerSecond: 310.4,
      secondsLeft: 283.5,
    });
    expect(line).toBe('12,000 of 100,000 holders (batch 12 of 100), 310/s, 4 min 44 s left');
    expect(duration(42)).toBe('42 s');
  });

  it('reports every figure, each rejected row, and what to do while the asset stays IMPORTING', () => {
    const text = reportText(report);
    expect(text).toMatch(/rows rejected\s+1/);
    expect(text).toMatch(/already there \(not written twice\)\s+1/);
    expect(text).toContain('ID_NUMBER_INVALID: row 4: id_number has a wrong check character');
    expect(text).toContain('The ledger holds 40 of 50 declared units');
    expect(reportText({ ...report, finished: true })).toContain('the asset is ACTIVE');
  });
});
