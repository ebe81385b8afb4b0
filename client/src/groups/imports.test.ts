import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetIdFor } from '@crowdledger/protocol';
import type { Asset } from '../model';
import type { RegisterFile, RegisterRow } from '../imports/register-csv';
import { status as Grpc } from '@grpc/grpc-js';
import { EndorseError } from '@hyperledger/fabric-gateway';
import { chaincodeRefusal, type FakeCall, FakeContext, json, serviceError } from '../testing/fake-gateway';
import { batchRecord, type ImportedAsset, ImportsClient } from './imports';

const MSP = 'Platform1MSP';
const asset: ImportedAsset = {
  assetRef: 'fund-7',
  attributes: { name: '基金', category: 'FUND', description: '', currency: 'CNY', documents: [] },
  rights: {
    voting: { enabled: false, votesPerUnit: 0 },
    dividend: { enabled: false, policy: '' },
    otherTerms: [],
  },
  totalUnits: 50,
};
const ASSET_ID = assetIdFor(MSP, 'fund-7');

const row = (n: number): RegisterRow => ({
  row: n + 2,
  platformRef: `c-${String(n)}`,
  name: '欧阳娜娜',
  idType: 'PASSPORT',
  idNumber: `E${String(1_000_000 + n)}`,
  units: 10,
});
const register = (n: number, extra: Partial<RegisterFile> = {}): RegisterFile => ({
  rowsRead: n,
  rows: Array.from({ length: n }, (_, i) => row(i)),
  rejected: [],
  sha256: 'c'.repeat(64),
  ...extra,
});

/**
 * The imports contract as the chaincode behaves: holders keyed by reference,
 * one already holding these units skipped. `crashAfter` commits that many
 * Adds, then commits the next one and loses its answer, as a killed client would.
 */
class FakeLedger {
  status: Asset['status'] | undefined;
  readonly holdings = new Map<string, number>();
  readonly writes: string[] = [];
  crashAfter = Number.POSITIVE_INFINITY;
  adds = 0;

  readonly handle = (call: FakeCall): Uint8Array => {
    const key = `${call.contract}:${call.transaction}`;
    if (key === 'assets:Get') {
      if (this.status === undefined) {
        throw chaincodeRefusal('ASSET_NOT_FOUND', 'no asset');
      }
      return json(this.#asset());
    }
    if (key === 'imports:Begin') {
      this.status = 'IMPORTING';
      return json(this.#asset());
    }
    if (key === 'imports:Finish') {
      this.status = 'ACTIVE';
      return json(this.#asset());
    }
    return this.#add(call);
  };

  #asset(): Asset {
    return {
      ...asset,
      assetId: ASSET_ID,
      platform: MSP,
      registeredAt: 'T',
      status: this.status ?? 'IMPORTING',
    };
  }

  #add(call: FakeCall): Uint8Array {
    const rows = JSON.parse(call.transientData['holders'] ?? '[]') as {
      platformRef: string;
      units: number;
    }[];
    const skipped: number[] = [];
    let written = 0;
    let units = 0;
    rows.forEach((r, i) => {
      if (this.holdings.get(r.platformRef) === r.units) {
        skipped.push(i);
      } else {
        this.holdings.set(r.platformRef, r.units);
        this.writes.push(r.platformRef);
        written += 1;
        units += r.units;
      }
    });
    this.adds += 1;
    if (this.adds > this.crashAfter) {
      this.crashAfter = Number.POSITIVE_INFINITY;
      throw chaincodeRefusal('CORRUPT_STATE', 'the answer was lost after the commit');
    }
    return json({ assetId: ASSET_ID, written, units, skipped, rejected: [] });
  }
}

async function checkpointPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'import-run-')), 'cp.json');
}

function run(ledger: FakeLedger, file: RegisterFile, checkpoint: string, batchSize = 2) {
  const context = new FakeContext(MSP, ledger.handle);
  const client = new ImportsClient(context);
  return {
    context,
    done: client.importRegister({ asset, register: file, checkpoint, batchSize, inFlight: 1 }),
  };
}

describe('imports.importRegister', () => {
  it('begins, writes the batches, finishes, and reports every figure', async () => {
    const ledger = new FakeLedger();
    const progress: number[] = [];
    const context = new FakeContext(MSP, ledger.handle);
    const report = await new ImportsClient(context).importRegister({
      asset,
      register: register(5),
      checkpoint: await checkpointPath(),
      batchSize: 2,
      inFlight: 1,
      onProgress: (p) => progress.push(p.holdersDone),
    });
    expect(report).toMatchObject({
      assetId: ASSET_ID,
      holdersWritten: 5,
      holdersWrittenThisRun: 5,
      holdersAlreadyImported: 0,
      unitsOnLedger: 50,
      balanced: true,
      finished: true,
      batches: { total: 3, committed: 3, thisRun: 3 },
    });
    expect(progress).toEqual([2, 4, 5]);
    const submits = context.calls.filter((c) => c.kind === 'submit');
    expect(submits.map((c) => c.transaction)).toEqual(['Begin', 'Add', 'Add', 'Add', 'Finish']);
    // Personal data travel in the transient map only; the arguments name the asset.
    for (const add of submits.filter((c) => c.transaction === 'Add')) {
      expect(add.arguments).toEqual([ASSET_ID]);
    }
    expect(JSON.stringify(submits.map((c) => c.arguments))).not.toContain('欧阳娜娜');
  });

  it('resumes after a crash: nothing is written twice and the report is exact', async () => {
    const ledger = new FakeLedger();
    const checkpoint = await checkpointPath();
    ledger.crashAfter = 1; // batch 0 recorded; batch 1 commits, its answer is lost
    await expect(run(ledger, register(5), checkpoint).done).rejects.toMatchObject({ code: 'CORRUPT_STATE' });
    const saved = JSON.parse(await readFile(checkpoint, 'utf8')) as { batches: object; finished: boolean };
    expect(Object.keys(saved.batches)).toEqual(['0']);
    const again = run(ledger, register(5), checkpoint);
    const report = await again.done;
    expect(ledger.writes.sort()).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
    expect(report).toMatchObject({
      holdersWritten: 3,
      holdersWrittenThisRun: 1,
      holdersAlreadyImported: 2,
      holdersOnLedger: 5,
      unitsOnLedger: 50,
      finished: true,
      batches: { total: 3, committed: 3, thisRun: 2 },
    });
    expect(again.context.calls.filter((c) => c.transaction === 'Begin')).toEqual([]);
  });

  it('sends a batch again when a busy peer cancelled its endorsement, writing each holder once', async () => {
    const ledger = new FakeLedger();
    let cancelled = 0;
    const handle = (call: FakeCall): Uint8Array => {
      if (call.transaction === 'Add' && cancelled === 0) {
        cancelled += 1;
        throw new EndorseError({
          code: Grpc.CANCELLED,
          details: [],
          cause: serviceError(Grpc.CANCELLED, 'Call cancelled'),
          transactionId: 'tx-cancelled',
          message: '1 CANCELLED: Call cancelled',
        });
      }
      return ledger.handle(call);
    };
    const context = new FakeContext(MSP, handle);
    const report = await new ImportsClient(context).importRegister({
      asset,
      register: register(5),
      checkpoint: await checkpointPath(),
      batchSize: 2,
      inFlight: 1,
    });
    expect(cancelled).toBe(1);
    expect(report).toMatchObject({ holdersWritten: 5, finished: true, batches: { total: 3, committed: 3 } });
    expect(ledger.writes.sort()).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
  });

  it('writes nothing on a rerun after it finished', async () => {
    const ledger = new FakeLedger();
    const checkpoint = await checkpointPath();
    await run(ledger, register(5), checkpoint).done;
    const again = run(ledger, register(5), checkpoint);
    const report = await again.done;
    expect(again.context.calls.filter((c) => c.kind === 'submit')).toEqual([]);
    expect(report).toMatchObject({ finished: true, holdersWrittenThisRun: 0, holdersOnLedger: 5 });
  });

  it('leaves the asset IMPORTING when rows were rejected, and lists them', async () => {
    const ledger = new FakeLedger();
    const rejected = [{ row: 7, code: 'ID_NUMBER_INVALID', reason: 'row 7: …' }];
    const report = await run(ledger, register(4, { rowsRead: 5, rejected }), await checkpointPath()).done;
    expect(report).toMatchObject({ finished: false, balanced: false, unitsOnLedger: 40, rejected });
    expect(ledger.status).toBe('IMPORTING');
  });

  it('refuses an asset the ledger holds with another total, writing nothing', async () => {
    const ledger = new FakeLedger();
    ledger.status = 'IMPORTING';
    const context = new FakeContext(MSP, (call) =>
      call.transaction === 'Get'
        ? json({
            ...asset,
            totalUnits: 51,
            assetId: ASSET_ID,
            platform: MSP,
            registeredAt: 'T',
            status: 'IMPORTING',
          })
        : ledger.handle(call),
    );
    await expect(
      new ImportsClient(context).importRegister({
        asset,
        register: register(5),
        checkpoint: await checkpointPath(),
      }),
    ).rejects.toMatchObject({ code: 'IMPORT_MISMATCH' });
    expect(context.calls.filter((c) => c.kind === 'submit')).toEqual([]);
  });

  it('needs the reference secret, and batch sizes from 1 to 1,000', async () => {
    const context = new FakeContext(MSP, new FakeLedger().handle);
    const imports = new ImportsClient(context);
    const options = { asset, register: register(1), checkpoint: await checkpointPath() };
    await expect(imports.importRegister({ ...options, batchSize: 1001 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    context.referenceSecret = undefined;
    await expect(imports.importRegister(options)).rejects.toMatchObject({ code: 'REFERENCE_SECRET_MISSING' });
    expect(context.calls).toEqual([]);
  });
});

describe('batchRecord', () => {
  const rows = [row(0), row(1), row(2)];

  it('maps skipped and refused places back to rows and units', () => {
    const record = batchRecord(
      {
        assetId: ASSET_ID,
        written: 1,
        units: 10,
        skipped: [2],
        rejected: [{ index: 0, code: 'HOLDING_CONFLICT', reason: 'U… already holds 5 units' }],
      },
      rows,
    );
    expect(record).toEqual({
      written: 1,
      units: 10,
      skipped: 1,
      skippedUnits: 10,
      rejected: [{ row: 2, code: 'HOLDING_CONFLICT', reason: 'row 2: U… already holds 5 units' }],
    });
  });

  it('refuses an answer that does not account for every holder exactly once', () => {
    const bad = { assetId: ASSET_ID, written: 2, units: 20, skipped: [0], rejected: [] };
    expect(() => batchRecord(bad, rows)).not.toThrow();
    expect(() => batchRecord({ ...bad, skipped: [0, 0], written: 1 }, rows)).toThrow(/^BAD_RESPONSE: /);
    expect(() => batchRecord({ ...bad, written: 3 }, rows)).toThrow(/^BAD_RESPONSE: /);
    expect(() => batchRecord({ ...bad, skipped: [3] }, rows)).toThrow(/^BAD_RESPONSE: /);
  });
});
