import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chaincodeBuild,
  deployChaincode,
  packageArgs,
  packageChaincode,
  parseLabel,
  type Run,
} from './chaincode';

/** A checkout with tsc and the deploy script, and optionally a built chaincode. */
function checkout(built: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'crowdledger-deploy-'));
  mkdirSync(join(root, 'node_modules', 'typescript', 'bin'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '');
  mkdirSync(join(root, 'network'));
  writeFileSync(join(root, 'network', 'deploy.sh'), '');
  writeFileSync(join(root, 'network', 'package.sh'), '');
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

describe('chaincode package', () => {
  const root = checkout(true);
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('makes every path absolute, since the script runs in the checkout, and writes here by default', () => {
    expect(packageArgs({ type: 'node' }, '/work/here')).toEqual(['--type', 'node', '--out', '/work/here']);
    expect(
      packageArgs(
        {
          type: 'ccaas',
          out: 'pkg.tar.gz',
          label: 'cl_1',
          address: 'cc.example:9999',
          rootCert: 'tls/ca.crt',
          image: '/images/cc.tar',
        },
        '/work/here',
      ),
    ).toEqual([
      '--type',
      'ccaas',
      '--out',
      '/work/here/pkg.tar.gz',
      '--label',
      'cl_1',
      '--address',
      'cc.example:9999',
      '--root-cert',
      '/work/here/tls/ca.crt',
      '--image',
      '/images/cc.tar',
    ]);
  });

  it('leaves the ccaas address out of a node package', () => {
    expect(packageArgs({ type: 'node', address: 'cc.example:9999' }, '/w')).not.toContain('--address');
  });

  it('refuses a label Fabric would not take', () => {
    expect(parseLabel('crowdledger_1.0+b')).toBe('crowdledger_1.0+b');
    expect(() => parseLabel('my label')).toThrow('letters, digits and _ . + - only');
    expect(() => parseLabel('a/b')).toThrow('letters, digits and _ . + - only');
  });

  it('builds first and packages nothing when the build fails', async () => {
    const runs: string[][] = [];
    const run: Run = (file, args) => {
      runs.push([file, ...args]);
      return Promise.resolve(file === 'bash' ? 0 : 1);
    };
    await expect(packageChaincode({ type: 'node' }, run, root, () => undefined, '/w')).rejects.toThrow(
      'the chaincode build failed (tsc exit 1): nothing was packaged',
    );
    expect(runs.map((r) => r[0])).toEqual([process.execPath]);
  });

  it('runs network/package.sh after a good build', async () => {
    const runs: string[][] = [];
    const run: Run = (file, args) => {
      runs.push([file, ...args]);
      return Promise.resolve(0);
    };
    await expect(packageChaincode({ type: 'node' }, run, root, () => undefined, '/w')).resolves.toBe(0);
    expect(runs[1]).toEqual(['bash', join(root, 'network', 'package.sh'), '--type', 'node', '--out', '/w']);
  });
});
