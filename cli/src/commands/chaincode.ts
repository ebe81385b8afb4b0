import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../errors';
import { repoRoot } from '../paths';
import { runCommand } from '../scripts';
import { withExamples } from './shared/help';

/** `crowdledger chaincode …`: packaging and approval live in the network scripts. */
export function registerChaincodeCommands(program: Command): void {
  const chaincode = program
    .command('chaincode')
    .description('build, package and deploy the CrowdLedger chaincode');
  withExamples(chaincode, 'crowdledger chaincode deploy', 'crowdledger chaincode package --type node');
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
  registerPackageCommand(chaincode);
}

/** What `chaincode package` takes; paths as typed, resolved against the working folder. */
export interface PackageFlags {
  readonly type: 'node' | 'ccaas';
  readonly out?: string;
  readonly label?: string;
  readonly address?: string;
  readonly rootCert?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly image?: string;
}

function registerPackageCommand(chaincode: Command): void {
  const pkg = chaincode
    .command('package')
    .description(
      'build, then write a chaincode package for peers this project did not set up: --type node is the ' +
        'standard Node package (compiled JavaScript, package.json whose start script runs fabric-chaincode-node, ' +
        '@crowdledger/protocol vendored) that a stock peer builds and launches; --type ccaas is ' +
        "chaincode as a service for Fabric's ccaas_builder, and --image writes the service as an OCI image " +
        '(buildah, no Docker). Prints the package, its label and package ID as JSON',
    )
    .addOption(new Option('--type <type>', 'node or ccaas').choices(['node', 'ccaas']).makeOptionMandatory())
    .option('--out <path>', 'file to write, or a folder for <label>.<type>.tar.gz (default: this folder)')
    .option('--label <label>', 'package label (default: crowdledger_<hash of the built code>)', parseLabel)
    .option('--address <host:port>', 'ccaas: where peers dial the service', 'crowdledger-chaincode:9999')
    .option('--root-cert <pem>', "ccaas: root of the service's TLS certificate (TLS on when given)")
    .option('--client-cert <pem>', 'ccaas: client certificate the peer presents (mutual TLS)')
    .option('--client-key <pem>', 'ccaas: its private key')
    .option('--image <file>', 'ccaas: also write the service as an OCI image archive (needs buildah)')
    .action(async (flags: PackageFlags) => {
      process.exitCode = await packageChaincode(flags);
    });
  withExamples(
    pkg,
    'crowdledger chaincode package --type node --out dist-packages/',
    'crowdledger chaincode package --type ccaas --address cc.org1.example.com:9999 --root-cert tls/ca.crt \\\n' +
      '      --image crowdledger-chaincode.oci.tar',
  );
}

/** Letters, digits and `_ . + -`, as Fabric's lifecycle accepts in a label. */
export function parseLabel(value: string): string {
  if (!/^[A-Za-z0-9_.+-]+$/.test(value)) {
    throw new InvalidArgumentError('a label holds letters, digits and _ . + - only');
  }
  return value;
}

/** network/package.sh's arguments for the flags, every path made absolute (the script runs in the checkout). */
export function packageArgs(flags: PackageFlags, cwd: string): string[] {
  const path = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : resolve(cwd, value);
  const pairs: readonly (readonly [string, string | undefined])[] = [
    ['--type', flags.type],
    ['--out', path(flags.out) ?? cwd],
    ['--label', flags.label],
    ['--address', flags.type === 'ccaas' ? flags.address : undefined],
    ['--root-cert', path(flags.rootCert)],
    ['--client-cert', path(flags.clientCert)],
    ['--client-key', path(flags.clientKey)],
    ['--image', path(flags.image)],
  ];
  return pairs.flatMap(([name, value]) => (value === undefined ? [] : [name, value]));
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

/** Builds, then runs a network script on what was built; a failed build runs nothing. */
async function buildThenRun(
  script: { readonly name: string; readonly args: readonly string[]; readonly what: string },
  run: Run,
  root: string,
  log: (line: string) => void,
): Promise<number> {
  const { args, what } = script;
  const path = join(root, 'network', script.name);
  if (!existsSync(path)) {
    throw new CliError(`${path} is missing from this checkout`);
  }
  const build = chaincodeBuild(root);
  log(`building the chaincode: tsc ${build.args.slice(1).join(' ')}`);
  const built = await run(build.file, build.args, root);
  if (built !== 0) {
    throw new CliError(`the chaincode build failed (tsc exit ${String(built)}): nothing was ${what}`);
  }
  log('✓ chaincode built');
  return run('bash', [path, ...args], root);
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
  return buildThenRun({ name: 'deploy.sh', args: [], what: 'deployed' }, run, root, log);
}

/** Builds, then runs network/package.sh with the flags; a failed build packages nothing. */
export async function packageChaincode(
  flags: PackageFlags,
  run: Run = runCommand,
  root: string = repoRoot(),
  log: (line: string) => void = console.error,
  cwd: string = process.cwd(),
): Promise<number> {
  return buildThenRun(
    { name: 'package.sh', args: packageArgs(flags, cwd), what: 'packaged' },
    run,
    root,
    log,
  );
}
