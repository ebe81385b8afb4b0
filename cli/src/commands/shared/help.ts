import type { Command } from 'commander';

/** Appends an Examples section to a command's --help. */
export function withExamples(command: Command, ...examples: string[]): Command {
  const lines = examples.map((example) => `  $ ${example}`).join('\n');
  return command.addHelpText('after', `\nExamples:\n${lines}\n`);
}
