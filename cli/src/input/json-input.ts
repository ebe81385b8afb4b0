import { readFile } from 'node:fs/promises';
import { CliError } from '../errors';
import { readAll, reasonOf, type SecretInput } from './secret';

/** A JSON document the user gave, and where it came from (for error sentences). */
export interface JsonInput {
  readonly value: unknown;
  /** The file name, or `stdin`. */
  readonly source: string;
}

/**
 * Reads the JSON of `--from <file>`; `-`, or no --from with a pipe on
 * stdin, reads stdin. Personal data travel this way rather than as flags,
 * which every user of the machine can read in the process list.
 */
export async function readJsonInput(
  from: string | undefined,
  what: string,
  stdin: SecretInput,
): Promise<JsonInput> {
  if (from === undefined && stdin.isTTY === true) {
    throw new CliError(`give the ${what} as JSON with --from <file>, or pipe it on stdin`);
  }
  const source = from === undefined || from === '-' ? 'stdin' : from;
  const text = source === 'stdin' ? await readAll(stdin) : await readText(source);
  return { value: parseJson(text, source), source };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError(`cannot read ${path}: ${reasonOf(cause)}`, 1, { cause });
  }
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CliError(`${source} is not valid JSON: ${reason}`, 1, { cause });
  }
}
