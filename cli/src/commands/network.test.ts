import { InvalidArgumentError } from 'commander';
import { addPlatformArguments, logsArguments, parseLineCount, parsePeerCount } from './network';

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

describe('parsePeerCount', () => {
  it.each([
    ['1', 1],
    ['10', 10],
  ])('accepts %j', (value, count) => {
    expect(parsePeerCount(value)).toBe(count);
  });

  it.each(['0', '11', '-1', '1.5', '2x', '', '01'])('refuses %j', (value) => {
    expect(() => parsePeerCount(value)).toThrow(InvalidArgumentError);
  });
});

describe('addPlatformArguments', () => {
  it('passes --peers only when given', () => {
    expect(addPlatformArguments(undefined)).toEqual([]);
    expect(addPlatformArguments(2)).toEqual(['--peers', '2']);
  });
});
