import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { repoRoot } from '../paths';
import { runCommand } from '../scripts';
import { withExamples } from './shared/help';

/** `crowdledger chaincode …`: packaging and approval live in the network scripts. */
export function registerChaincodeCommands(program: Command): void {
  const chaincode = program.command('chaincode').description('build and deploy the CrowdLedger chaincode');
  withExamples(chaincode, 'crowdledger chaincode deploy');
  const deploy = chaincode
    .command('deploy')
    .description(
      'build the chaincode from chaincode/src (tsc -b, as npm run build), then install, approve and commit it ' +
        'and start its services; an unchanged build stays as committed',
    )
    .action(async () => {
      process.exitCode = await deployChaincode();
    });
  withExamples(deploy, 'crowdledger chaincode deploy');
}

/** A program run with the terminal attached, resolving to its exit code (scripts.ts's runCommand). */
export type Run = (file: string, args: readonly string[], cwd: string) => Promise<number>;

/**
 * The chaincode's build: `tsc -b` of its project, which builds the protocol
 * package it references first — what `npm run build` does for these two.
 * tsc -b trusts its build info, so an output deleted by hand would stay
 * missing: without the package's entry file the build is forced.
 */
export function chaincodeBuild(root: string): { readonly file: string; readonly args: readonly string[] } {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    throw new CliError(`${tsc} is missing: install the dependencies first (make deps)`);
  }
  const force = existsSync(join(root, 'chaincode', 'dist', 'index.js')) ? [] : ['--force'];
  // The CLI's own Node runs tsc: whatever node is first on PATH may be another version.
  return { file: process.execPath, args: [tsc, '-b', ...force, join('chaincode', 'tsconfig.build.json')] };
}

/**
 * Builds, then runs network/deploy.sh, which packages what was built: the
 * package's version is a hash of the built code, so a change in
 * chaincode/src becomes the next sequence and an unchanged one stays put.
 * A failed build deploys nothing.
 */
export async function deployChaincode(
  run: Run = runCommand,
  root: string = repoRoot(),
  log: (line: string) => void = console.error,
): Promise<number> {
  const script = join(root, 'network', 'deploy.sh');
  if (!existsSync(script)) {
    throw new CliError(`${script} is missing from this checkout`);
  }
  const build = chaincodeBuild(root);
  log(`building the chaincode: tsc ${build.args.slice(1).join(' ')}`);
  const built = await run(build.file, build.args, root);
  if (built !== 0) {
    throw new CliError(`the chaincode build failed (tsc exit ${String(built)}): nothing was deployed`);
  }
  log('✓ chaincode built');
  return run('bash', [script], root);
}
