import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createProgram } from './program';

describe('createProgram', () => {
  it('offers the network and chaincode commands', () => {
    const help = createProgram('1.2.3').helpInformation();
    expect(help).toContain('network');
    expect(help).toContain('chaincode');
  });

  it('fails network status with exit 4 when no network exists', async () => {
    const saved = process.env['CROWDLEDGER_HOME'];
    const home = mkdtempSync(join(tmpdir(), 'crowdledger-empty-'));
    process.env['CROWDLEDGER_HOME'] = home;
    try {
      const program = createProgram('1.2.3').exitOverride();
      await expect(program.parseAsync(['node', 'crowdledger', 'network', 'status'])).rejects.toMatchObject({
        exitCode: 4,
        message: 'no network: run `crowdledger network up`',
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
      if (saved === undefined) {
        delete process.env['CROWDLEDGER_HOME'];
      } else {
        process.env['CROWDLEDGER_HOME'] = saved;
      }
    }
  });
});

describe('the program', () => {
  const program = createProgram('1.2.3');
  const sub = (group: string): string[] =>
    program.commands.find((c) => c.name() === group)?.commands.map((c) => c.name()) ?? [];

  it('registers each group once, so every group is whole in one place', () => {
    const names = program.commands.map((c) => c.name());
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      ...['network', 'chaincode', 'profile', 'demo', 'ledger', 'assets', 'users', 'trades', 'listings'],
      ...['audit', 'events', 'keys', 'certificates', 'offers', 'campaigns'],
    ]);
  });

  it.each([
    ['users', ['show', 'portfolio', 'register']],
    [
      'assets',
      ['list', 'show', 'holders', 'register', 'import', 'pending', 'accept-holding', 'decline-holding'],
    ],
    ['keys', ['create', 'show']],
    ['certificates', ['issue', 'issue-due', 'revoke', 'show', 'query']],
    ['listings', ['open', 'create', 'cancel', 'expire', 'expire-due', 'show']],
    ['trades', ['list', 'buy', 'check']],
    ['events', ['follow']],
    ['offers', ['create', 'accept', 'cancel', 'expire', 'show']],
    ['campaigns', ['create', 'commit', 'withdraw', 'settle', 'commitments']],
  ])('has %s with %j', (group, commands) => {
    expect(sub(group)).toEqual(commands);
  });

  it('gives every command an example of itself, with --org where --org is required', () => {
    for (const group of program.commands) {
      for (const command of group.commands) {
        const help = helpAfter(command);
        expect(help).toContain(`Examples:\n  $ crowdledger ${group.name()} ${command.name()}`);
        const org = command.options.find((o) => o.long === '--org');
        if (org?.mandatory === true) {
          expect(help).toMatch(/\$ crowdledger .* --org \w+/);
        }
      }
    }
  });

  it('says what each command does, never which requirement it meets', () => {
    const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
    const cited = all(program)
      .map((c) => `${c.name()}: ${helpAfter(c)}`)
      .filter((help) => /\(R\d/.test(help));
    expect(cited).toEqual([]);
  });

  it('never takes a transaction key or passphrase as an argument, only files that hold them', () => {
    const flags = program.commands.flatMap((g) => g.commands.flatMap((c) => c.options.map((o) => o.long)));
    expect(flags).toContain('--signer');
    expect(flags).not.toContain('--key');
    expect(flags).not.toContain('--private-key');
    expect(flags).not.toContain('--passphrase');
  });
});

/** The text addHelpText('after') adds, which helpInformation leaves out. */
function helpAfter(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s) });
  command.outputHelp();
  return text;
}
