// Issuance at register scale (#23): a few hundred due holdings issued by the
// CLI in parallel and in batches, killed (SIGKILL) half way and run again.
// Afterwards every holding has exactly one active certificate — on the
// ledger and at the asset CA — and its key is on disk.
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CrowdLedger, type CrowdLedgerClient, normaliseSerial, openAssetCa } from '../../client/src';
import { newPerson, profilePath, repoDir, tryCli, uniqueSuffix } from './support';
import { pool } from '../support/pool';

const HOLDERS = 240;
const PER_ASSET = 80;
const suffix = uniqueSuffix();

let work: string;
let platform1: CrowdLedgerClient;
let startBlock = '';
const holdings: { assetId: string; holderId: string }[] = [];

const out = (): string => join(work, 'certificates');
const issueDue = [
  'certificates',
  'issue-due',
  '--org',
  'platform1',
  '--out',
  join('%WORK%', 'certificates'),
  '--checkpoint',
  join('%WORK%', 'platform1.checkpoint'),
  '--idle-ms',
  '1000',
  '--json',
];
const args = (): string[] => [...issueDue.map((a) => a.replace('%WORK%', work)), '--start-block', startBlock];

async function certificateFiles(): Promise<number> {
  const entries = await readdir(out(), { recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.endsWith('cert.pem')).length;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crowdledger-issuance-scale-'));
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  const people = Array.from({ length: HOLDERS }, (_, i) => newPerson(`scale-${String(i)}`));
  const users = await pool(people, 24, (person) => platform1.users.register(person));
  startBlock = String(await heightOf(platform1));
  for (let a = 0; a < HOLDERS / PER_ASSET; a += 1) {
    const holders = users
      .slice(a * PER_ASSET, (a + 1) * PER_ASSET)
      .map((u) => ({ userId: u.userId, units: 10 }));
    const { assetId } = await platform1.assets.register({
      assetRef: `scale-${suffix}-${String(a)}`,
      attributes: {
        name: '规模测试',
        category: 'FUND',
        description: 'issuance at scale',
        currency: 'CNY',
        documents: [],
      },
      rights: {
        voting: { enabled: false, votesPerUnit: 0 },
        dividend: { enabled: false, policy: '' },
        otherTerms: [],
      },
      totalUnits: 10 * holders.length,
      holders,
    });
    holdings.push(...holders.map((h) => ({ assetId, holderId: h.userId })));
  }
}, 240_000);

afterAll(async () => {
  platform1.close();
  await rm(work, { recursive: true, force: true });
});

/** The assets registered next are at this height or above: the runs read only them. */
function heightOf(client: CrowdLedgerClient): Promise<bigint> {
  return client.chainHeight();
}

describe(`issue-due over ${String(HOLDERS)} due holdings, killed half way`, () => {
  it('is killed with certificates enrolled, some recorded and some not', async () => {
    const child = spawn(process.execPath, [join(repoDir, 'cli', 'dist', 'main.js'), ...args()], {
      env: process.env,
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    for (let waited = 0; (await certificateFiles()) < HOLDERS / 2 && waited < 120_000; waited += 100) {
      await sleep(100);
    }
    child.kill('SIGKILL');
    await exited;
    const recorded = await pool(holdings, 16, (h) =>
      platform1.certificates.get(h.assetId, h.holderId).then(
        () => 1,
        () => 0,
      ),
    );
    const count = recorded.reduce<number>((a, b) => a + b, 0);
    expect(await certificateFiles()).toBeGreaterThanOrEqual(HOLDERS / 2);
    expect(count).toBeLessThan(HOLDERS);
  }, 180_000);

  it('finishes on the next run: every holding recorded once, its key on disk, one live certificate at the CA', async () => {
    const rerun = await tryCli(args());
    expect(rerun.stderr).not.toMatch(/error:/);
    expect(rerun.code).toBe(0);
    const report = JSON.parse(rerun.stdout) as { counts: { issued: number; failed: number } };
    expect(report.counts.failed).toBe(0);
    const ca = await openAssetCa(profilePath('platform1'));
    const problems = await pool(holdings, 16, async ({ assetId, holderId }) => {
      const record = await platform1.certificates.get(assetId, holderId);
      const folder = join(out(), assetId, holderId);
      const certificate = new X509Certificate(await readFile(join(folder, 'cert.pem'), 'utf8'));
      const key = createPublicKey(await readFile(join(folder, 'key.pem'), 'utf8'));
      const live = await ca.listCertificates({ enrollmentId: record.enrollmentId, notRevoked: true });
      const fingerprint = createHash('sha256').update(certificate.raw).digest('hex');
      const spki = (k: ReturnType<typeof createPublicKey>): string =>
        k.export({ type: 'spki', format: 'pem' }).toString();
      const wrong = [
        record.status === 'ACTIVE' ? '' : `status ${record.status}`,
        fingerprint === record.fingerprint ? '' : 'cert.pem is not the recorded certificate',
        spki(key) === spki(certificate.publicKey) ? '' : 'key.pem is not its key',
        live.length === 1 && live[0]?.serial === normaliseSerial(record.serial)
          ? ''
          : `${String(live.length)} live at the CA`,
      ].filter((w) => w !== '');
      return wrong.length === 0 ? '' : `${assetId}/${holderId}: ${wrong.join(', ')}`;
    });
    expect(problems.filter((p) => p !== '')).toEqual([]);
  }, 240_000);

  it('finds nothing left to do on a third run', async () => {
    const third = await tryCli(args());
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ counts: { issued: 0, failed: 0 } });
  }, 60_000);
});
