// Secrets (.p12 passphrases, key files) reach the CLI from a file, a
// pipe or a prompt that does not echo, never from argv: argv is visible to
// every user of the machine (ps, /proc/<pid>/cmdline) and lands in shell history.
import { stat, readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from '../errors';

/** The terminal side the CLI reads from: process.stdin, or a fake in tests. */
export interface SecretInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface SecretIo {
  readonly input: SecretInput;
  /** Where prompts and warnings go: stderr, so stdout stays the command's result. */
  readonly output: NodeJS.WritableStream;
}

export interface SecretRequest {
  /** What is asked for, as the prompt and errors say it: "passphrase of holder.p12". */
  readonly what: string;
  /** A file holding the secret on one line; `-` reads it from stdin. */
  readonly file?: string | undefined;
  /** Ask twice at a prompt (a new secret, where a typo would be costly). */
  readonly confirm?: boolean;
}

/** Exit status of a prompt cancelled with Ctrl-C, as a shell reports SIGINT. */
export const CANCELLED = 130;

export function processIo(): SecretIo {
  return { input: process.stdin, output: process.stderr };
}

/** Reads a secret from a file (or `-` for stdin), else a hidden prompt on a terminal, else a pipe. */
export async function readSecret(request: SecretRequest, io: SecretIo): Promise<string> {
  if (request.file !== undefined && request.file !== '-') {
    return oneLine(await readSecretFile(request.file, io), request.file);
  }
  if (request.file === undefined && io.input.isTTY === true) {
    return promptSecret(request, io);
  }
  return oneLine(await readAll(io.input), 'stdin');
}

async function promptSecret(request: SecretRequest, io: SecretIo): Promise<string> {
  const secret = await promptHidden(`${request.what}: `, io);
  if (request.confirm === true && (await promptHidden(`${request.what} (again): `, io)) !== secret) {
    throw new CliError(`the two entries of the ${request.what} differ; nothing was changed`);
  }
  return secret;
}

/**
 * The secret in a text: one line, an ending newline (LF or CRLF) dropped.
 * The sentences never quote the text: it is a secret.
 */
export function oneLine(text: string, where: string): string {
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') {
    throw new CliError(`${where} holds no secret: expected one line`);
  }
  if (/[\r\n]/.test(secret)) {
    throw new CliError(`${where} holds more than one line: expected the secret alone on one line`);
  }
  return secret;
}

/** A secret file's text; warns when other users can read it, as ssh does for keys. */
export async function readSecretFile(path: string, io: SecretIo): Promise<string> {
  try {
    const info = await stat(path);
    // As ssh does for keys: a secret others can read is worth a warning.
    if ((info.mode & 0o077) !== 0) {
      io.output.write(`warning: ${path} can be read by other users; chmod 600 it\n`);
    }
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError(`cannot read ${path}: ${reasonOf(cause)}`, 1, { cause });
  }
}

const REASONS: Readonly<Partial<Record<string, string>>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
};

/** The system's reason without the path Node repeats: "no such file". */
export function reasonOf(cause: unknown): string {
  // Duck-typed: errors from another realm (jest's sandbox) fail instanceof.
  const fields = (typeof cause === 'object' && cause !== null ? cause : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const known = REASONS[String(fields.code)];
  if (known !== undefined) {
    return known;
  }
  return typeof fields.message === 'string' ? fields.message : String(cause);
}

/** All of a stream as strict UTF-8 text. */
export async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (cause) {
    throw new CliError('stdin is not UTF-8 text', 1, { cause });
  }
}

/**
 * Prompts on a terminal and reads a line in raw mode, echoing nothing.
 * Backspace deletes a character, Ctrl-U the line, Ctrl-C cancels, Enter or
 * Ctrl-D ends it.
 */
export function promptHidden(prompt: string, io: SecretIo): Promise<string> {
  const { input, output } = io;
  output.write(prompt);
  input.setRawMode?.(true);
  const line = new HiddenLine();
  return new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer | string): void => {
      const verdict = line.feed(chunk);
      if (verdict === 'typing') {
        return;
      }
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (verdict === 'cancelled') {
        reject(new CliError('cancelled', CANCELLED));
      } else {
        resolve(line.text);
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/** What the editing keys do at a hidden prompt. */
const EDITS: Readonly<Partial<Record<string, 'done' | 'cancelled' | 'erase' | 'kill'>>> = {
  '\r': 'done',
  '\n': 'done',
  '\u0004': 'done',
  '\u0003': 'cancelled',
  '\u007f': 'erase',
  '\b': 'erase',
  '\u0015': 'kill',
};

/** The line typed so far at a hidden prompt. */
export class HiddenLine {
  #chars: string[] = [];
  /** Inside a terminal escape sequence (an arrow key sends ESC [ D): none of it is typed text. */
  #escape: 'none' | 'start' | 'csi' = 'none';
  readonly #decoder = new StringDecoder('utf8');

  get text(): string {
    return this.#chars.join('');
  }

  /** Takes raw keystrokes; says whether the line goes on, ended, or was cancelled. */
  feed(chunk: Buffer | string): 'typing' | 'done' | 'cancelled' {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    for (const char of text) {
      const verdict = this.#key(char);
      if (verdict !== 'typing') {
        return verdict;
      }
    }
    return 'typing';
  }

  #key(char: string): 'typing' | 'done' | 'cancelled' {
    if (this.#inEscape(char)) {
      return 'typing';
    }
    const edit = EDITS[char];
    if (edit === undefined) {
      // Other control characters (Tab, stray bytes) are no part of a key.
      if (!/\p{Cc}/u.test(char)) {
        this.#chars.push(char);
      }
      return 'typing';
    }
    if (edit === 'erase') {
      this.#chars.pop();
    } else if (edit === 'kill') {
      this.#chars = [];
    }
    return edit === 'done' || edit === 'cancelled' ? edit : 'typing';
  }

  #inEscape(char: string): boolean {
    if (this.#escape === 'none') {
      if (char === '\u001b') {
        this.#escape = 'start';
        return true;
      }
      return false;
    }
    if (this.#escape === 'start') {
      this.#escape = char === '[' ? 'csi' : 'none';
    } else if (/[@-~]/.test(char)) {
      this.#escape = 'none';
    }
    return true;
  }
}
