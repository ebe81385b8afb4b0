import type { CapTableEntry, CrowdLedgerClient, ImportReport } from '@crowdledger/client';
import { duration, progressText, reportText } from './assets-import';
import { type CsvSink, streamCapTableCsv } from './assets';

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

describe('streamCapTableCsv', () => {
  const entry = (n: number, serial?: string): CapTableEntry => ({
    holding: {
      assetId: 'A',
      userId: `U${String(n)}`,
      units: 1,
      escrowed: 0,
      certificate: serial ? 'ISSUED' : 'DUE',
    },
    ...(serial === undefined
      ? {}
      : {
          certificate: {
            assetId: 'A',
            holderId: `U${String(n)}`,
            enrollmentId: 'holder-x',
            serial,
            issuer: 'CN=ca',
            fingerprint: 'f',
            notBefore: 'T',
            notAfter: 'T',
            status: 'ACTIVE',
            recordedAt: 'T',
          },
        }),
  });

  it('writes the header and each page as it comes, waiting for the sink to drain', async () => {
    const entries = Array.from({ length: 2500 }, (_, i) => entry(i, i === 1 ? '0A' : undefined));
    const writes: string[] = [];
    let drains = 0;
    const sink: CsvSink = {
      write: (text) => {
        writes.push(text);
        return writes.length % 2 === 0; // full every other write
      },
      once: (_event, listener) => {
        drains += 1;
        listener();
        return sink;
      },
    };
    function* lines(): Generator<CapTableEntry> {
      yield* entries;
    }
    const client = {
      assets: { get: () => Promise.resolve({ totalUnits: 2500 }), allCapTable: lines },
    } as unknown as Pick<CrowdLedgerClient, 'assets'>;
    expect(await streamCapTableCsv(client, 'A', sink)).toBe(2500);
    // Header, then pages of 1,000, 1,000 and 500: never the whole table in one write.
    expect(writes.map((w) => w.split('\r\n').length - 1)).toEqual([1, 1000, 1000, 500]);
    expect(writes[0]).toBe(
      'holder,units,share_percent,escrowed,certificate,certificate_serial,certificate_status\r\n',
    );
    expect(writes[1]?.split('\r\n')[1]).toBe('U1,1,0.04,0,ISSUED,0A,ACTIVE');
    expect(drains).toBe(2);
  });
});
