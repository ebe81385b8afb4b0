// A register of a few thousand holders brought onto the ledger by the CLI
// (`assets import`), killed part way, resumed, and finished after a
// corrected file; then the cap table streamed with a certificate status.
// The tests share one story and run in order.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetIdFor, type ImportReport, residentIdCheckCharacter } from '../../client/src';
import { blockFilesContaining, repoDir, uniqueSuffix, withClient } from './support';

const HOLDERS = 3000;
const BATCH = 500;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], onSpawn?: (kill: () => void) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoDir, 'cli', 'dist', 'main.js'), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}

const suffix = uniqueSuffix();
const ref = (i: number): string => `imp-${suffix}-${String(i)}`;
/** A distinct resident ID per holder, with its check character. */
const idOf = (i: number): string => {
  const stem = `1101${String(i).padStart(13, '0')}`;
  return stem + residentIdCheckCharacter(stem);
};
const unitsOf = (i: number): number => 1 + (i % 97);
const nameOf = (i: number): string => `持有人${String(i)}`;

function line(i: number, idNumber = idOf(i)): string {
  return `${ref(i)},${nameOf(i)},${idNumber},${String(unitsOf(i))}`;
}

/** Holder HOLDERS has a wrong check character in the first file; row HOLDERS+3 repeats a reference. */
function registerCsv(fixed: boolean): string {
  const bad = idOf(HOLDERS);
  const wrong = `${bad.slice(0, 17)}${bad.endsWith('1') ? '2' : '1'}`;
  const rows = Array.from({ length: HOLDERS }, (_, i) => line(i));
  rows.push(line(HOLDERS, fixed ? bad : wrong), line(0));
  return ['platform_ref,name,id_number,units', ...rows].join('\n') + '\n';
}

const declaredTotal = Array.from({ length: HOLDERS + 1 }, (_, i) => unitsOf(i)).reduce((a, b) => a + b, 0);
const assetJson = {
  assetRef: `register-${suffix}`,
  attributes: {
    name: '存量登记册',
    category: 'EQUITY',
    description: 'An imported register.',
    currency: 'CNY',
    documents: [],
  },
  rights: {
    voting: { enabled: true, votesPerUnit: 1 },
    dividend: { enabled: false, policy: '' },
    otherTerms: [],
  },
  totalUnits: declaredTotal,
};

let dir: string;
let assetId: string;
let startBlock: bigint;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'register-import-'));
  await writeFile(join(dir, 'register.csv'), registerCsv(false));
  await writeFile(join(dir, 'register-fixed.csv'), registerCsv(true));
  await writeFile(join(dir, 'asset.json'), JSON.stringify(assetJson));
  startBlock = await withClient('platform1', (c) => c.chainHeight());
  assetId = assetIdFor('Platform1MSP', assetJson.assetRef);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const importArgs = (file: string, ...extra: string[]): string[] => [
  'assets',
  'import',
  join(dir, file),
  '--org',
  'platform1',
  '--asset',
  join(dir, 'asset.json'),
  '--batch-size',
  String(BATCH),
  ...extra,
];

async function committedBatches(): Promise<number> {
  try {
    const text = await readFile(join(dir, 'register.csv.checkpoint.json'), 'utf8');
    return Object.keys((JSON.parse(text) as { batches: object }).batches).length;
  } catch {
    return 0;
  }
}

describe('a register import, killed and resumed', () => {
  it('is killed after two committed batches, leaving its checkpoint whole', async () => {
    const result = await cli(importArgs('register.csv', '--in-flight', '1'), (kill) => {
      const timer = setInterval(() => {
        void committedBatches().then((n) => {
          if (n >= 2) {
            clearInterval(timer);
            kill();
          }
        });
      }, 50);
    });
    expect(result.code).toBeNull(); // killed, not exited
    const batches = await committedBatches();
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThan(HOLDERS / BATCH);
  });

  it('resumes, sends again a batch that committed after its checkpoint write, and writes nothing twice', async () => {
    // As if the kill had come between a batch's commit and the checkpoint write.
    const path = join(dir, 'register.csv.checkpoint.json');
    const checkpoint = JSON.parse(await readFile(path, 'utf8')) as { batches: Record<string, unknown> };
    const kept = Object.entries(checkpoint.batches).sort(([a], [b]) => Number(a) - Number(b));
    kept.pop();
    checkpoint.batches = Object.fromEntries(kept);
    await writeFile(path, JSON.stringify(checkpoint));

    const result = await cli(importArgs('register.csv', '--json'));
    expect(result.code).toBe(1); // a row is wrong: the asset stays IMPORTING
    const report = JSON.parse(result.stdout) as ImportReport;
    expect(report.rowsRead).toBe(HOLDERS + 2);
    expect(report.validRows).toBe(HOLDERS);
    expect(report.rejected.map((r) => [r.row, r.code])).toEqual([
      [HOLDERS + 2, 'ID_NUMBER_INVALID'],
      [HOLDERS + 3, 'DUPLICATE_REFERENCE'],
    ]);
    expect(report.holdersOnLedger).toBe(HOLDERS);
    expect(report.holdersAlreadyImported).toBe(BATCH); // the dropped batch: found, not written again
    expect(report.holdersWritten).toBe(HOLDERS - BATCH);
    expect(report.unitsOnLedger).toBe(declaredTotal - unitsOf(HOLDERS));
    expect(report.batches).toEqual({
      total: HOLDERS / BATCH,
      committed: HOLDERS / BATCH,
      thisRun: expect.any(Number) as unknown,
    });
    expect(report.finished).toBe(false);
    const asset = await withClient('platform1', (c) => c.assets.get(assetId));
    expect(asset.status).toBe('IMPORTING');
  });

  it("puts each imported holding in the holder's portfolio while the asset is importing", async () => {
    const holder = await withClient('platform1', (c) => Promise.resolve(c.users.idFor(ref(1))));
    const holding = await withClient('platform1', async (c) => (await c.users.portfolio(holder)).holdings);
    expect(holding.find((h) => h.assetId === assetId)?.units).toBe(unitsOf(1));
  });

  it('finishes with the corrected register: only the corrected holder is written', async () => {
    const result = await cli(importArgs('register-fixed.csv', '--json'));
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ImportReport;
    expect(report.holdersWrittenThisRun).toBe(1);
    expect(report.holdersAlreadyImported).toBe(HOLDERS);
    expect(report.unitsOnLedger).toBe(declaredTotal);
    expect(report.rejected.map((r) => r.code)).toEqual(['DUPLICATE_REFERENCE']);
    expect(report.finished).toBe(true);
    const asset = await withClient('platform1', (c) => c.assets.get(assetId));
    expect(asset.status).toBe('ACTIVE');
    // A rerun after the finish writes nothing.
    const again = await cli(importArgs('register-fixed.csv', '--json'));
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as ImportReport).batches.thisRun).toBe(0);
  });

  it('wrote each holder exactly once, as the HoldersImported events show', async () => {
    const seen = new Map<string, number>();
    await withClient('platform1', async (c) => {
      const events = await c.events.subscribe({ checkpoint: join(dir, 'events.checkpoint'), startBlock });
      for await (const event of events) {
        if (event.name === 'HoldersImported' && event.payload.assetId === assetId) {
          for (const h of event.payload.holders) {
            seen.set(h.userId, (seen.get(h.userId) ?? 0) + 1);
          }
        }
        if (event.name === 'ImportFinished' && event.payload.assetId === assetId) {
          await events.ack();
          break;
        }
      }
      events.close();
    });
    expect(seen.size).toBe(HOLDERS + 1);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('keeps names, ID numbers and references out of every block', async () => {
    for (const secret of [nameOf(7), idOf(7), ref(7)]) {
      expect(await blockFilesContaining(secret)).toEqual([]);
    }
  });
});

describe('the cap table of the imported register', () => {
  it("streams as CSV with every holder and each one's certificate status", async () => {
    const holderId = await withClient('platform1', (c) => Promise.resolve(c.users.idFor(ref(3))));
    const issued = await withClient('platform1', (c) => c.certificates.issue(assetId, holderId));
    const result = await cli(['assets', 'holders', assetId, '--org', 'platform1', '--csv']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(
      'holder,units,share_percent,escrowed,certificate,certificate_serial,certificate_status',
    );
    expect(lines).toHaveLength(HOLDERS + 2);
    const rows = new Map(lines.slice(1).map((l) => [l.split(',')[0], l.split(',')]));
    expect(rows.get(holderId)?.slice(4)).toEqual(['ISSUED', issued.record.serial, 'ACTIVE']);
    const other = await withClient('platform1', (c) => Promise.resolve(c.users.idFor(ref(4))));
    expect(rows.get(other)?.slice(1, 2)).toEqual([String(unitsOf(4))]);
    expect(rows.get(other)?.slice(4)).toEqual(['DUE', '', '']);
    const sum = lines.slice(1).reduce((total, l) => total + Number(l.split(',')[1]), 0);
    expect(sum).toBe(declaredTotal);
  });
});
