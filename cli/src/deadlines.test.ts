import { deadlinesFromEnv } from './deadlines';

describe('deadlinesFromEnv', () => {
  it('reads each kind from its variable, leaving unset and empty ones to the SDK', () => {
    expect(
      deadlinesFromEnv({
        CROWDLEDGER_ENDORSE_DEADLINE_MS: '45000',
        CROWDLEDGER_COMMIT_DEADLINE_MS: ' 120000\n',
        CROWDLEDGER_SUBMIT_DEADLINE_MS: '',
      }),
    ).toEqual({ endorse: 45_000, commitStatus: 120_000 });
    expect(deadlinesFromEnv({})).toEqual({});
  });

  it('refuses seconds, units, fractions and values out of range, naming the variable', () => {
    for (const text of ['45s', '1.5', '-1', '0', '99', '600001', '1e4', 'abc']) {
      expect(() => deadlinesFromEnv({ CROWDLEDGER_EVALUATE_DEADLINE_MS: text })).toThrow(
        `INVALID_OPTIONS: CROWDLEDGER_EVALUATE_DEADLINE_MS must be a whole number of milliseconds from 100 to 600000, not ${JSON.stringify(text)}`,
      );
    }
  });
});
