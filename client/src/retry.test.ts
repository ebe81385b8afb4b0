import { CrowdLedgerError } from './errors';
import {
  backoffDelay,
  checkRetryPolicy,
  DEFAULT_RETRY_POLICY,
  type RetryEnvironment,
  withRetry,
} from './retry';

function environment(random = 0.5): RetryEnvironment & { readonly slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    random: () => random,
  };
}

const conflict = (): CrowdLedgerError => new CrowdLedgerError('MVCC_READ_CONFLICT', 'x', { stage: 'commit' });

describe('backoffDelay', () => {
  it('doubles from the base, capped, with half of it random', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.999999))).toEqual(
      [100, 200, 400, 800, 1_000].map((d) => expect.closeTo(d, 3) as number),
    );
  });
});

describe('withRetry', () => {
  it('retries read conflicts up to the bound, then throws the last one', async () => {
    const env = environment();
    let calls = 0;
    const failing = (): Promise<never> => {
      calls += 1;
      return Promise.reject(conflict());
    };
    await expect(withRetry(DEFAULT_RETRY_POLICY, failing, env)).rejects.toMatchObject({
      code: 'MVCC_READ_CONFLICT',
    });
    expect(calls).toBe(DEFAULT_RETRY_POLICY.attempts);
    expect(env.slept).toHaveLength(DEFAULT_RETRY_POLICY.attempts - 1);
  });

  it('returns as soon as an attempt succeeds', async () => {
    const env = environment();
    const outcomes = [conflict(), conflict(), 'done'];
    const result = await withRetry(
      DEFAULT_RETRY_POLICY,
      (n) => {
        const outcome = outcomes[n - 1];
        return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
      },
      env,
    );
    expect(result).toBe('done');
    expect(env.slept).toEqual([75, 150]);
  });

  it.each(['USER_EXISTS', 'ENDORSEMENT_POLICY_FAILURE', 'PHANTOM_READ_CONFLICT', 'TIMEOUT', 'UNAVAILABLE'])(
    'surfaces %s at once',
    async (code) => {
      const env = environment();
      let calls = 0;
      const failing = (): Promise<never> => {
        calls += 1;
        return Promise.reject(new CrowdLedgerError(code, 'no'));
      };
      await expect(withRetry(DEFAULT_RETRY_POLICY, failing, env)).rejects.toMatchObject({ code });
      expect(calls).toBe(1);
      expect(env.slept).toEqual([]);
    },
  );

  it('does not retry errors that are not CrowdLedgerErrors', async () => {
    let calls = 0;
    const failing = (): Promise<never> => {
      calls += 1;
      return Promise.reject(new Error('MVCC_READ_CONFLICT'));
    };
    await expect(withRetry(DEFAULT_RETRY_POLICY, failing, environment())).rejects.toThrow();
    expect(calls).toBe(1);
  });
});

describe('checkRetryPolicy', () => {
  it('refuses unbounded or negative settings', () => {
    expect(() => checkRetryPolicy({ attempts: 0, baseDelayMs: 1, maxDelayMs: 1 })).toThrow(RangeError);
    expect(() => checkRetryPolicy({ attempts: 1.5, baseDelayMs: 1, maxDelayMs: 1 })).toThrow(RangeError);
    expect(() => checkRetryPolicy({ attempts: 3, baseDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
    expect(() => checkRetryPolicy({ attempts: 3, baseDelayMs: 1, maxDelayMs: Infinity })).toThrow(RangeError);
    expect(checkRetryPolicy(DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY);
  });
});
