import { InvalidArgumentError } from 'commander';
import { logsArguments, parseLineCount } from './network';

describe('logsArguments', () => {
  it.each([
    [undefined, undefined, []],
    ['peer0.platform1', undefined, ['peer0.platform1']],
    ['peer0.platform1', 50, ['peer0.platform1', '50']],
    [undefined, 50, ['', '50']],
  ])('node %s lines %s gives %j', (node, lines, args) => {
    expect(logsArguments(node, lines)).toEqual(args);
  });
});

describe('parseLineCount', () => {
  it('accepts a whole number', () => {
    expect(parseLineCount('200')).toBe(200);
  });

  it.each(['0', '-1', '1.5', '10abc', '', '99999999'])('refuses %j', (value) => {
    expect(() => parseLineCount(value)).toThrow(InvalidArgumentError);
  });
});
