import { benchConfig, recordsResults } from './config';

describe('benchConfig', () => {
  it('imports a register of a few thousand rows in a smoke run, more in default and long runs', () => {
    expect(benchConfig('smoke').importRows).toBe(3_000);
    expect(benchConfig(undefined).importRows).toBe(10_000);
    expect(benchConfig('long').importRows).toBe(100_000);
    expect(() => benchConfig('quick')).toThrow('BENCH must be one of default, long, smoke, not quick');
  });
});

describe('recordsResults', () => {
  it('lets only a whole default or long run replace the committed results', () => {
    expect(recordsResults('default', [])).toBe(true);
    expect(recordsResults('long', [])).toBe(true);
    expect(recordsResults('smoke', [])).toBe(false);
    expect(recordsResults('default', ['register-import'])).toBe(false);
    expect(recordsResults('long', ['cap-table', 'hot-listing'])).toBe(false);
    expect(recordsResults('default', [], true)).toBe(false);
  });
});
