import { Command } from 'commander';
import { createProgram } from '../program';
import { buyerLimits } from './trading';
import { setSentence } from './keys';
import { count, groupOf, major, writeConnection } from './write';

describe('groupOf', () => {
  it('extends a group the reads made instead of adding a second one', () => {
    const program = new Command();
    const users = program.command('users');
    users.command('show');
    const extended = groupOf(program, 'users', 'register and read users');
    extended.command('register');
    expect(extended).toBe(users);
    expect(program.commands.filter((c) => c.name() === 'users')).toHaveLength(1);
    expect(users.commands.map((c) => c.name())).toEqual(['show', 'register']);
    expect(users.description()).toBe('register and read users');
  });
});

describe('the program', () => {
  const program = createProgram('1.2.3');
  const sub = (group: string): string[] =>
    program.commands.find((c) => c.name() === group)?.commands.map((c) => c.name()) ?? [];

  it.each([
    ['users', ['show', 'portfolio', 'register']],
    ['assets', ['show', 'holders', 'register']],
    ['keys', ['set', 'reset', 'status']],
    ['certificates', ['issue', 'issue-due', 'revoke', 'show', 'query']],
    ['listings', ['open', 'create', 'cancel', 'show']],
    ['trades', ['list', 'buy', 'check']],
    ['offers', ['create', 'accept', 'cancel', 'show']],
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

  it('never takes a transaction key or passphrase as an argument', () => {
    const flags = program.commands.flatMap((g) => g.commands.flatMap((c) => c.options.map((o) => o.long)));
    expect(flags).toContain('--key-file');
    expect(flags).not.toContain('--key');
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

describe('writeConnection', () => {
  it('writes as app unless told otherwise', () => {
    expect(writeConnection({ org: 'registry' })).toEqual({ org: 'registry', identity: 'app' });
    expect(writeConnection({ org: 'platform1', identity: 'admin' })).toEqual({
      org: 'platform1',
      identity: 'admin',
    });
  });
});

describe('major', () => {
  it.each([
    [1250, '12.50'],
    [5, '0.05'],
    [0, '0.00'],
    [37500, '375.00'],
  ])('%d minor units are %s', (minor, text) => {
    expect(major(minor)).toBe(text);
  });
});

describe('buyerLimits', () => {
  it('defaults to 1 and every unit', () => {
    expect(buyerLimits(100)).toEqual({ min: 1, max: 100 });
    expect(buyerLimits(100, 10, 50)).toEqual({ min: 10, max: 50 });
  });

  it('refuses a minimum above the maximum', () => {
    expect(() => buyerLimits(100, 60, 50)).toThrow('--min 60 is more than --max 50');
  });
});

describe('setSentence', () => {
  const status = { userId: 'U1', failures: 5, locked: true, setAt: '2026-01-01T00:00:00Z' };

  it('says what a reset cleared', () => {
    expect(setSentence('U1', status)).toBe(
      'Transaction key of U1 reset: it was locked after 5 wrong keys; failures cleared, trading unlocked.',
    );
    expect(setSentence('U1', { ...status, locked: false, failures: 2 })).toContain(
      'had 2 wrong keys in a row',
    );
    expect(setSentence('U1', undefined)).toBe('Transaction key of U1 set.');
  });
});

describe('count', () => {
  it('says one thing, or many', () => {
    expect(count(1, 'commitment')).toBe('1 commitment');
    expect(count(0, 'event')).toBe('0 events');
    expect(count(2, 'event')).toBe('2 events');
  });
});
