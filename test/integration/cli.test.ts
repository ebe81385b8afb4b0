import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CrowdLedger, type CrowdLedgerClient } from '../../client/src';
import { networkHome, repoDir, uniqueSuffix } from './support';

const exec = promisify(execFile);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI with the test network's environment; a failing exit is a result, not a throw. */
async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec('node', [join(repoDir, 'cli', 'dist', 'main.js'), ...args], {
      env: process.env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const run = uniqueSuffix();
let platform1: CrowdLedgerClient;
let assetId = '';
let first = '';
let second = '';

beforeAll(async () => {
  platform1 = await CrowdLedger.connect({
    profile: join(networkHome(), 'profiles', 'platform1.json'),
    identity: 'app',
  });
  const users = [];
  for (const ref of ['cli-a', 'cli-b']) {
    users.push(
      await platform1.users.register({
        platformRef: `${ref}-${run}`,
        name: '测试, "用户"',
        idType: 'RESIDENT_ID',
        idNumber: '11010519491231002X',
      }),
    );
  }
  [first, second] = users.map((u) => u.userId) as [string, string];
  const asset = await platform1.assets.register({
    assetRef: `cli-cap-table-${run}`,
    attributes: {
      name: '城市更新, "一期"',
      category: 'EQUITY',
      description: 'CLI integration asset',
      currency: 'CNY',
      documents: [],
    },
    rights: {
      voting: { enabled: true, votesPerUnit: 1 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: 3,
    holders: [
      { userId: first, units: 2 },
      { userId: second, units: 1 },
    ],
  });
  assetId = asset.assetId;
});

afterAll(() => {
  platform1.close();
});

describe('crowdledger assets holders', () => {
  it('prints the cap table with both holders and their shares', async () => {
    const result = await cli('assets', 'holders', assetId);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^holder\s+units\s+share %\s+in escrow\s+certificate/);
    expect(lines.find((l) => l.startsWith(first))).toMatch(/\s2\s+66\.67\s+0\s+DUE/);
    expect(lines.find((l) => l.startsWith(second))).toMatch(/\s1\s+33\.33\s+0\s+DUE/);
  });

  it('prints JSON with the units of each holder', async () => {
    const result = await cli('assets', 'holders', assetId, '--json');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      totalUnits: number;
      holders: { holder: string; units: number; sharePercent: string }[];
    };
    expect(parsed.totalUnits).toBe(3);
    expect(parsed.holders).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ holder: first, units: 2, sharePercent: '66.67' }),
        expect.objectContaining({ holder: second, units: 1, sharePercent: '33.33' }),
      ]),
    );
  });

  it('prints CSV with a header row', async () => {
    const result = await cli('assets', 'holders', assetId, '--csv', '--org', 'platform1');
    expect(result.code).toBe(0);
    const records = result.stdout.split('\r\n');
    expect(records[0]).toBe(
      'holder,units,share_percent,escrowed,certificate,certificate_serial,certificate_status',
    );
    expect(records).toContain(`${first},2,66.67,0,DUE,,`);
    expect(records).toHaveLength(4);
  });

  it('exits non-zero with ASSET_NOT_FOUND for an unknown asset', async () => {
    const result = await cli('assets', 'holders', `A${'0'.repeat(32)}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: ASSET_NOT_FOUND: ');
    expect(result.stdout).toBe('');
  });

  it('says when there is no network profile', async () => {
    const result = await cli('assets', 'holders', assetId, '--org', 'nosuchorg');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PROFILE_NOT_FOUND');
    expect(result.stderr).toContain('is the network up?');
  });
});

describe('crowdledger assets list', () => {
  it("lists the platform's assets as a table, JSON and CSV, and not another platform's", async () => {
    const table = await cli('assets', 'list', '--platform', 'Platform1MSP');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^asset\s+name\s+category\s+currency\s+total units\s+status\s+registered at/,
    );
    expect(table.stdout).toMatch(
      new RegExp(`${assetId}\\s+城市更新, "一期"\\s+EQUITY\\s+CNY\\s+3\\s+ACTIVE\\s`),
    );
    const listed = JSON.parse(
      (await cli('assets', 'list', '--platform', 'Platform1MSP', '--json')).stdout,
    ) as {
      assetId: string;
      platform: string;
    }[];
    expect(listed).toContainEqual(expect.objectContaining({ assetId, platform: 'Platform1MSP' }));
    expect(new Set(listed.map((a) => a.platform))).toEqual(new Set(['Platform1MSP']));
    // Every page: the IDs come back in order, each once.
    const ids = listed.map((a) => a.assetId);
    expect(ids).toEqual([...new Set(ids)].sort());
    const csv = (await cli('assets', 'list', '--platform', 'Platform1MSP', '--csv', '--org', 'platform2'))
      .stdout;
    expect(csv.split('\r\n')[0]).toBe('asset,name,category,currency,total_units,status,registered_at');
    expect(csv).toContain(`${assetId},"城市更新, ""一期""",EQUITY,CNY,3,ACTIVE,`);
    const other = JSON.parse(
      (await cli('assets', 'list', '--platform', 'Platform2MSP', '--json')).stdout,
    ) as {
      assetId: string;
    }[];
    expect(other.map((a) => a.assetId)).not.toContain(assetId);
  });

  it('asks for --platform, and refuses one that is no MSP ID', async () => {
    const missing = await cli('assets', 'list');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--platform <mspId>' not specified");
    const bad = await cli('assets', 'list', '--platform', 'not an msp');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: INVALID_ARGUMENT: mspId must be an MSP ID such as Platform1MSP');
    expect(bad.stdout).toBe('');
  });
});

describe('crowdledger assets show, users, audit', () => {
  it('shows the asset with quoted fields in its name as JSON', async () => {
    const result = await cli('assets', 'show', assetId, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      assetId,
      totalUnits: 3,
      attributes: { name: '城市更新, "一期"' },
    });
  });

  it('shows a user and their portfolio', async () => {
    const show = await cli('users', 'show', first);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Platform1MSP');
    const portfolio = await cli('users', 'portfolio', first, '--json');
    expect(portfolio.code).toBe(0);
    expect(JSON.parse(portfolio.stdout)).toMatchObject({
      userId: first,
      holdings: [expect.objectContaining({ assetId, units: 2 })],
    });
    const table = await cli('users', 'portfolio', first);
    expect(table.stdout).toMatch(/^asset\s+name\s+units\s+share %\s+in escrow\s+certificate/);
    expect(table.stdout).toMatch(new RegExp(`${assetId}\\s+\\S.*\\s2\\s+66\\.67\\s+0\\s+`));
    const csv = await cli('users', 'portfolio', first, '--csv');
    expect(csv.stdout.split('\r\n')[0]).toBe('asset,name,units,share_percent,escrowed,certificate');
    expect(csv.stdout).toContain(`${assetId},`);
    expect(csv.stdout).toMatch(/,2,66\.67,0,[A-Z]+\r\n$/);
  });

  it("reads the asset's history", async () => {
    const result = await cli('audit', 'history', 'asset', assetId, '--json');
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as { value: { assetId: string } }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]?.value.assetId).toBe(assetId);
  });

  it('asks for --asset, --user, --platform or a time range before listing trades', async () => {
    const result = await cli('trades', 'list');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: give --asset <assetId>, --user <userId>, --platform <mspId> or --from/--to <instant>',
    );
  });
});
