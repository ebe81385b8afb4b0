import { InvalidArgumentError } from 'commander';
import { createProgram } from '../program';
import { parseCount } from './ledger';

describe('parseCount', () => {
  it.each([
    ['0', 0],
    ['1000', 1000],
  ])('accepts %j', (value, count) => {
    expect(parseCount(value)).toBe(count);
  });

  it.each(['-1', '1.5', 'x', '', '1234567890'])('refuses %j', (value) => {
    expect(() => parseCount(value)).toThrow(InvalidArgumentError);
  });
});

describe('crowdledger ledger verify', () => {
  it('is registered with its options', () => {
    const verify = createProgram('0.0.0')
      .commands.find((c) => c.name() === 'ledger')
      ?.commands.find((c) => c.name() === 'verify');
    expect(verify?.options.map((o) => o.long)).toEqual([
      '--from-files',
      '--consents',
      '--json',
      '--node',
      '--max-lag',
      '--progress',
    ]);
  });
});
