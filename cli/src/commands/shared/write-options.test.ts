import { Command } from 'commander';
import { groupOf, writeConnection } from './write-options';

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

describe('writeConnection', () => {
  it('writes as app unless told otherwise', () => {
    expect(writeConnection({ org: 'registry' })).toEqual({ org: 'registry', identity: 'app' });
    expect(writeConnection({ org: 'platform1', identity: 'admin' })).toEqual({
      org: 'platform1',
      identity: 'admin',
    });
  });
});
