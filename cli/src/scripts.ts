import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { relative } from 'node:path';
import { CliError } from './errors';
import { networkScript, repoRoot } from './paths';

/** Runs one of the network scripts from this checkout. */
export async function runNetworkScript(name: string, args: readonly string[] = []): Promise<number> {
  const script = networkScript(name);
  if (!existsSync(script)) {
    throw new CliError(`${relative(repoRoot(), script)} is missing from this checkout`);
  }
  return runBashScript(script, args, repoRoot());
}

/**
 * Runs a bash script with the terminal attached and resolves to its exit
 * code; a script killed by a signal reports 128 + the signal's number, as a
 * shell would.
 */
export function runBashScript(script: string, args: readonly string[], cwd: string): Promise<number> {
  return runCommand('bash', [script, ...args], cwd);
}

/** Runs a program with the terminal attached, as {@link runBashScript} runs bash. */
export function runCommand(file: string, args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', cwd });
    child.on('error', (cause) => {
      reject(new CliError(`could not start ${file} ${args[0] ?? ''}: ${cause.message}`, 1, { cause }));
    });
    child.on('exit', (code, signal) => {
      resolvePromise(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
  });
}
