import type { ImportReport, SubmitOutcome } from '@crowdledger/client';
import { importResult, importShape } from './register-import';

const shape = { rows: 3_000, batchSize: 250, inFlight: 4 };

const report: ImportReport = {
  assetId: `A${'1'.repeat(32)}`,
  rowsRead: 3_000,
  validRows: 2_999,
  unitsInRegister: 147_000,
  declaredTotal: 147_050,
  holdersWritten: 2_999,
  holdersWrittenThisRun: 2_999,
  holdersAlreadyImported: 0,
  holdersOnLedger: 2_999,
  unitsOnLedger: 147_000,
  balanced: false,
  rejected: [{ row: 7, code: 'ID_NUMBER_INVALID', reason: 'row 7: id_number has a wrong check character' }],
  batches: { total: 12, committed: 12, thisRun: 12 },
  finished: false,
};

const add = (ok: boolean, durationMs: number, attempts = 1): SubmitOutcome => ({
  transaction: 'imports:Add',
  ok,
  attempts,
  durationMs,
  ...(ok ? {} : { code: 'TIMEOUT' }),
});

describe('importResult', () => {
  it('reports rows a second, each committed batch as a latency, and a resent batch as attempts, not a failure', () => {
    const adds = [
      ...Array.from({ length: 11 }, (_, i) => add(true, 1_000 + i)),
      add(false, 15_000),
      add(true, 900, 2),
    ];
    const row = importResult(report, adds, 20, shape);
    expect(row.tps).toBe(150);
    expect(row.inFlight).toBe(4);
    expect(row.latenciesMs).toHaveLength(12);
    expect(row.latenciesMs).not.toContain(15_000);
    expect(row.attemptsPerSuccess).toBeCloseTo(14 / 12);
    expect(row.extra).toMatchObject({
      rows: 3_000,
      rowsPerSecond: 150,
      batchesResent: 1,
      asset: 'IMPORTING',
    });
  });

  it('counts refused rows by code, and an import left IMPORTING', () => {
    expect(importResult(report, [add(true, 1)], 1, shape).failures).toEqual({
      ID_NUMBER_INVALID: 1,
      IMPORT_UNFINISHED: 1,
    });
    const clean = { ...report, rejected: [], finished: true, balanced: true };
    expect(importResult(clean, [add(true, 1)], 1, shape).failures).toEqual({});
    expect(importResult(clean, [add(true, 1)], 1, shape).extra['asset']).toBe('ACTIVE');
  });
});

describe('importShape', () => {
  it("sends the CLI's batches of 250, 4 in flight, unless IMPORT_BATCH and IMPORT_IN_FLIGHT say otherwise", () => {
    expect(importShape(3_000, {})).toEqual({ rows: 3_000, batchSize: 250, inFlight: 4 });
    expect(importShape(10, { IMPORT_BATCH: '100', IMPORT_IN_FLIGHT: '2' })).toEqual({
      rows: 10,
      batchSize: 100,
      inFlight: 2,
    });
    expect(() => importShape(10, { IMPORT_BATCH: '1001' })).toThrow(
      'IMPORT_BATCH must be a whole number from 1 to 1000',
    );
    expect(() => importShape(10, { IMPORT_IN_FLIGHT: '2x' })).toThrow('IMPORT_IN_FLIGHT must be');
  });
});
