import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chaincodeBuild, deployChaincode, type Run } from './chaincode';

/** A checkout with tsc and the deploy script, and optionally a built chaincode. */
function checkout(built: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'crowdledger-deploy-'));
  mkdirSync(join(root, 'node_modules', 'typescript', 'bin'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '');
  mkdirSync(join(root, 'network'));
  writeFileSync(join(root, 'network', 'deploy.sh'), '');
  if (built) {
    mkdirSync(join(root, 'chaincode', 'dist'), { recursive: true });
    writeFileSync(join(root, 'chaincode', 'dist', 'index.js'), '');
  }
  return root;
}

describe('chaincode deploy', () => {
  const roots: string[] = [];
  const fresh = (built: boolean): string => {
    const root = checkout(built);
    roots.push(root);
    return root;
  };
  afterAll(() => {
    for (const root of roots) {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('builds with tsc -b before the deploy script packages anything, and says so', async () => {
    const root = fresh(true);
    const runs: string[][] = [];
    const run: Run = (file, args) => {
      runs.push([file, ...args]);
      return Promise.resolve(0);
    };
    const said: string[] = [];
    await expect(deployChaincode(run, root, (line) => said.push(line))).resolves.toBe(0);
    expect(runs).toEqual([
      [
        process.execPath,
        join(root, 'node_modules/typescript/bin/tsc'),
        '-b',
        'chaincode/tsconfig.build.json',
      ],
      ['bash', join(root, 'network', 'deploy.sh')],
    ]);
    expect(said).toEqual([
      'building the chaincode: tsc -b chaincode/tsconfig.build.json',
      '✓ chaincode built',
    ]);
  });

  it('deploys nothing when the build fails', async () => {
    const runs: string[] = [];
    const run: Run = (file) => {
      runs.push(file);
      return Promise.resolve(file === 'bash' ? 0 : 2);
    };
    await expect(deployChaincode(run, fresh(true), () => undefined)).rejects.toThrow(
      'the chaincode build failed (tsc exit 2): nothing was deployed',
    );
    expect(runs).toEqual([process.execPath]);
  });

  it('passes the deploy script exit code on', async () => {
    const run: Run = (file) => Promise.resolve(file === 'bash' ? 3 : 0);
    await expect(deployChaincode(run, fresh(true), () => undefined)).resolves.toBe(3);
  });

  it('forces the build when the built entry is missing, which tsc -b alone would not rebuild', () => {
    expect(chaincodeBuild(fresh(false)).args).toContain('--force');
    expect(chaincodeBuild(fresh(true)).args).not.toContain('--force');
  });

  it('says how to get tsc when the checkout has no dependencies', () => {
    const bare = mkdtempSync(join(tmpdir(), 'crowdledger-bare-'));
    roots.push(bare);
    expect(() => chaincodeBuild(bare)).toThrow('is missing: install the dependencies first (make deps)');
  });
});
