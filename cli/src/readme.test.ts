import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createProgram } from './program';

// Options every command of a kind shares; the README explains them once, in prose.
const SHARED = new Set(['--help', '--org', '--identity', '--json', '--csv', '--quiet', '--version']);

function leaves(command: Command): Command[] {
  const children = command.commands.filter((c) => c.name() !== 'help');
  return children.length === 0 ? [command] : children.flatMap(leaves);
}

describe("the README's CLI tables", () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const program = createProgram('0.0.0');

  it('name every command group', () => {
    const missing = program.commands.map((g) => g.name()).filter((name) => !readme.includes(`${name} `));
    expect(missing).toEqual([]);
  });

  it('document every option of every command, so the docs cannot drift from the code', () => {
    const missing = leaves(program).flatMap((command) =>
      command.options
        .map((option) => option.long)
        .filter((long): long is string => long !== undefined && !SHARED.has(long) && !readme.includes(long))
        .map((long) => `${command.parent?.name() ?? ''} ${command.name()} ${long}`),
    );
    expect(missing).toEqual([]);
  });
});
