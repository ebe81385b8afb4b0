import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import process from 'node:process';
import { join } from 'node:path';
import { PROPOSAL_TIME_WINDOW, PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/client';

describe("the peers' proposal time window", () => {
  it('is the window the chaincode builds into its deadline rules', () => {
    const nodes = readFileSync(join(__dirname, '..', '..', 'network', 'lib', 'nodes.sh'), 'utf8');
    const set = /^CORE_PEER_AUTHENTICATION_TIMEWINDOW=(\S+)$/m.exec(nodes)?.[1];
    expect(set).toBe(PROPOSAL_TIME_WINDOW);
    expect(PROPOSAL_TIME_WINDOW).toBe(`${String(PROPOSAL_TIME_WINDOW_MS / 1000)}s`);
  });
});

describe('CROWDLEDGER_CA_SECRET_COST (the Fabric CA build with a lower bcrypt cost)', () => {
  const repo = join(__dirname, '..', '..');
  const caBin = (cost: string | undefined): ReturnType<typeof spawnSync> =>
    spawnSync('bash', ['-c', '. network/lib/common.sh && echo "$FABRIC_CA_BIN"'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, CROWDLEDGER_CA_SECRET_COST: cost },
    });

  it('keeps Fabric CA as released by default, and builds a cost other than 10 in a folder of its own', () => {
    const versions = readFileSync(join(repo, 'network', 'versions.env'), 'utf8');
    const version = /^FABRIC_CA_VERSION=(\S+)$/m.exec(versions)?.[1] ?? '';
    expect(String(caBin(undefined).stdout).trim()).toMatch(new RegExp(`/fabric-ca-${version}/bin$`));
    expect(String(caBin('10').stdout).trim()).toMatch(new RegExp(`/fabric-ca-${version}/bin$`));
    expect(String(caBin('4').stdout).trim()).toMatch(new RegExp(`/fabric-ca-${version}-cost4/bin$`));
  });

  it.each(['3', '11', '4.5', 'low'])('refuses %s with a sentence before anything runs', (cost) => {
    const run = caBin(cost);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(String(run.stderr)).toContain(
      `CROWDLEDGER_CA_SECRET_COST must be a bcrypt cost from 4 to 10, not "${cost}"`,
    );
  });

  it("finds exactly the two lines it changes in the pinned Fabric CA's source", () => {
    const versions = readFileSync(join(repo, 'network', 'versions.env'), 'utf8');
    const version = /^FABRIC_CA_VERSION=(\S+)$/m.exec(versions)?.[1] ?? '';
    const download = spawnSync(
      'go',
      ['mod', 'download', '-json', `github.com/hyperledger/fabric-ca@v${version}`],
      {
        encoding: 'utf8',
      },
    );
    const dir = (JSON.parse(download.stdout) as { Dir?: string }).Dir ?? '';
    const source = readFileSync(join(dir, 'lib', 'dbaccessor.go'), 'utf8');
    const install = readFileSync(join(repo, 'network', 'install.sh'), 'utf8');
    const line =
      /local src="\$1\/lib\/dbaccessor.go" line='([^']+)'/.exec(install)?.[1] ?? 'not found in install.sh';
    expect(source.split(line).length - 1).toBe(2);
  });
});

describe('CROWDLEDGER_BATCH_TIMEOUT (the ordering batch timeout bench/tune.sh sweeps)', () => {
  const repo = join(__dirname, '..', '..');
  const layoutWith = (
    timeout: string | undefined,
  ): { status: number | null; stderr: string; batchTimeout: string | undefined } => {
    const home = mkdtempSync(join(tmpdir(), 'crowdledger-layout-'));
    try {
      const run = spawnSync('bash', ['network/layout.sh'], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, CROWDLEDGER_HOME: home, CROWDLEDGER_BATCH_TIMEOUT: timeout },
      });
      const file = join(home, 'layout.json');
      const batchTimeout = existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as { batchTimeout: string }).batchTimeout
        : undefined;
      return { status: run.status, stderr: run.stderr, batchTimeout };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };

  it("takes settings.json's timeout when unset, and a timeout in ms or s when set", () => {
    const settings = JSON.parse(readFileSync(join(repo, 'network', 'settings.json'), 'utf8')) as {
      batchTimeout: string;
    };
    expect(settings.batchTimeout).toBe('100ms');
    expect(layoutWith(undefined)).toMatchObject({ status: 0, batchTimeout: settings.batchTimeout });
    expect(layoutWith('100ms')).toMatchObject({ status: 0, batchTimeout: '100ms' });
    expect(layoutWith('2s')).toMatchObject({ status: 0, batchTimeout: '2s' });
  });

  it.each(['250', '5ms', '11s', '1m'])('refuses %s with a sentence and leaves no layout', (timeout) => {
    const run = layoutWith(timeout);
    expect(run.status).toBe(1);
    expect(run.batchTimeout).toBeUndefined();
    expect(run.stderr).toContain(
      `batchTimeout must be whole milliseconds or seconds from 10ms to 10s (e.g. 250ms), not ${timeout}`,
    );
  });
});
