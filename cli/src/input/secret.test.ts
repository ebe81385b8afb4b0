import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CliError } from '../errors';
import { CANCELLED, HiddenLine, oneLine, promptHidden, readSecret, type SecretInput } from './secret';

/** A fake terminal: a stream with isTTY and setRawMode, recording raw-mode switches. */
function terminal(): PassThrough & { isTTY: boolean; modes: boolean[]; setRawMode(mode: boolean): void } {
  const input = new PassThrough() as PassThrough & {
    isTTY: boolean;
    modes: boolean[];
    setRawMode(mode: boolean): void;
  };
  input.isTTY = true;
  input.modes = [];
  input.setRawMode = (mode: boolean): void => {
    input.modes.push(mode);
  };
  return input;
}

function sink(): PassThrough & { text(): string } {
  const out = new PassThrough() as PassThrough & { text(): string };
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  out.text = () => Buffer.concat(chunks).toString('utf8');
  return out;
}

function pipe(text: string): SecretInput {
  return Readable.from([Buffer.from(text, 'utf8')]);
}

describe('oneLine', () => {
  it.each([
    ['1234\n', '1234'],
    ['1234\r\n', '1234'],
    ['1234', '1234'],
    ['with spaces \n', 'with spaces '],
  ])('reads %j as %j', (text, secret) => {
    expect(oneLine(text, 'pin.txt')).toBe(secret);
  });

  it.each(['', '\n'])('refuses an empty secret %j', (text) => {
    expect(() => oneLine(text, 'pin.txt')).toThrow('pin.txt holds no secret: expected one line');
  });

  it('refuses two lines without quoting either', () => {
    const error = captured(() => oneLine('first-secret\nsecond\n', 'pin.txt'));
    expect(error.message).toBe('pin.txt holds more than one line: expected the secret alone on one line');
    expect(error.message).not.toContain('first-secret');
  });
});

function captured(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('HiddenLine', () => {
  it.each([
    ['typed and ended by Enter', ['12', '34\r'], '1234'],
    ['ended by a newline', ['1234\n'], '1234'],
    ['ended by Ctrl-D', ['1234\u0004'], '1234'],
    ['with Backspace (DEL)', ['12x\u007f34\r'], '1234'],
    ['with Backspace (BS)', ['12x\b34\r'], '1234'],
    ['with Ctrl-U clearing the line', ['oops\u001512\r'], '12'],
    ['with arrow keys ignored', ['12\u001b[D\u001b[C34\r'], '1234'],
    ['with Tab ignored', ['12\t34\r'], '1234'],
    ['with Chinese and emoji', ['密码🔑\r'], '密码🔑'],
  ])('reads a line %s', (_, chunks, expected) => {
    const line = new HiddenLine();
    const verdicts = chunks.map((c) => line.feed(c));
    expect(verdicts.at(-1)).toBe('done');
    expect(line.text).toBe(expected);
  });

  it('joins a character whose UTF-8 bytes arrive in two chunks', () => {
    const line = new HiddenLine();
    const bytes = Buffer.from('密\r', 'utf8');
    expect(line.feed(bytes.subarray(0, 2))).toBe('typing');
    expect(line.feed(bytes.subarray(2))).toBe('done');
    expect(line.text).toBe('密');
  });

  it('is cancelled by Ctrl-C', () => {
    expect(new HiddenLine().feed('12\u0003')).toBe('cancelled');
  });
});

describe('promptHidden', () => {
  it('prompts on the output, echoes nothing, and leaves raw mode', async () => {
    const input = terminal();
    const output = sink();
    const answer = promptHidden('key: ', { input, output });
    input.write('s3cret\r');
    await expect(answer).resolves.toBe('s3cret');
    expect(output.text()).toBe('key: \n');
    expect(input.modes).toEqual([true, false]);
  });

  it('rejects with exit 130 on Ctrl-C', async () => {
    const input = terminal();
    const answer = promptHidden('key: ', { input, output: sink() });
    input.write('\u0003');
    await expect(answer).rejects.toMatchObject({ exitCode: CANCELLED, message: 'cancelled' });
    expect(input.modes).toEqual([true, false]);
  });
});

describe('readSecret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crowdledger-secret-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a key file without a warning when only its owner can read it', async () => {
    const file = join(dir, 'pin.txt');
    writeFileSync(file, '2468\n', { mode: 0o600 });
    const output = sink();
    await expect(readSecret({ what: 'key', file }, { input: pipe(''), output })).resolves.toBe('2468');
    expect(output.text()).toBe('');
  });

  it('warns when others can read the key file', async () => {
    const file = join(dir, 'pin.txt');
    writeFileSync(file, '2468\n');
    chmodSync(file, 0o644);
    const output = sink();
    await expect(readSecret({ what: 'key', file }, { input: pipe(''), output })).resolves.toBe('2468');
    expect(output.text()).toBe(`warning: ${file} can be read by other users; chmod 600 it\n`);
  });

  it('says when the key file is missing', async () => {
    const file = join(dir, 'none.txt');
    await expect(readSecret({ what: 'key', file }, { input: pipe(''), output: sink() })).rejects.toThrow(
      `cannot read ${file}: no such file`,
    );
  });

  it.each([undefined, '-'])('reads a pipe on stdin (file %s)', async (file) => {
    await expect(readSecret({ what: 'key', file }, { input: pipe('2468\n'), output: sink() })).resolves.toBe(
      '2468',
    );
  });

  it('refuses stdin that is not UTF-8', async () => {
    const input = Readable.from([Buffer.from([0x31, 0xff, 0x32])]);
    await expect(readSecret({ what: 'key' }, { input, output: sink() })).rejects.toThrow(
      'stdin is not UTF-8 text',
    );
  });

  it('prompts twice on a terminal when asked to confirm, and refuses entries that differ', async () => {
    const input = terminal();
    const output = sink();
    const secret = readSecret({ what: 'key of U1', confirm: true }, { input, output });
    input.write('1234\r');
    await new Promise((done) => setImmediate(done));
    input.write('1243\r');
    await expect(secret).rejects.toThrow('the two entries of the key of U1 differ; nothing was changed');
    expect(output.text()).toBe('key of U1: \nkey of U1 (again): \n');
  });

  it('accepts matching entries at the prompt', async () => {
    const input = terminal();
    const secret = readSecret({ what: 'key', confirm: true }, { input, output: sink() });
    input.write('1234\r');
    await new Promise((done) => setImmediate(done));
    input.write('1234\r');
    await expect(secret).resolves.toBe('1234');
  });
});
