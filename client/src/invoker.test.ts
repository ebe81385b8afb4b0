import { status as Grpc } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { text } from './decode';
import { type CrowdLedgerError, isCrowdLedgerError } from './errors';
import { ContractInvoker } from './invoker';
import type { RetryEnvironment } from './retry';
import type { SubmitOutcome } from './retry';
import {
  chaincodeRefusal,
  commitError,
  FakeContract,
  json,
  payloadMismatch,
  serviceError,
} from './testing/fake-gateway';

function noWait(): RetryEnvironment & { readonly slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    random: () => 0,
  };
}

async function failure(call: Promise<unknown>): Promise<CrowdLedgerError> {
  try {
    await call;
  } catch (error) {
    if (isCrowdLedgerError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 };

describe('ContractInvoker.submit retries', () => {
  it('retries an MVCC_READ_CONFLICT with a fresh submit, and succeeds', async () => {
    let n = 0;
    const contract = new FakeContract('users', () => {
      n += 1;
      if (n < 3) {
        throw commitError('MVCC_READ_CONFLICT', `tx${String(n)}`);
      }
      return json('ok');
    });
    const env = noWait();
    const invoker = new ContractInvoker(contract, { retry: policy, environment: env });
    await expect(invoker.submit('Register', text, { arguments: ['alice'] })).resolves.toBe('ok');
    expect(contract.calls.map((c) => c.kind)).toEqual(['submit', 'submit', 'submit']);
    expect(env.slept).toEqual([50, 100]);
  });

  it('stops after the bound with the conflict as a typed commit-stage error', async () => {
    const contract = new FakeContract('users', () => {
      throw commitError('MVCC_READ_CONFLICT', 'tx-m');
    });
    const env = noWait();
    const invoker = new ContractInvoker(contract, { retry: policy, environment: env });
    const error = await failure(invoker.submit('Register', text));
    expect(error).toMatchObject({ code: 'MVCC_READ_CONFLICT', stage: 'commit', transactionId: 'tx-m' });
    expect(contract.calls).toHaveLength(5);
    expect(env.slept).toEqual([50, 100, 200, 400]);
  });

  it('retries an endorsement payload mismatch exactly like a read conflict: bounded, with jitter', async () => {
    let n = 0;
    const contract = new FakeContract('trades', () => {
      n += 1;
      if (n === 1) {
        throw payloadMismatch('tx-1');
      }
      if (n === 2) {
        throw commitError('MVCC_READ_CONFLICT', 'tx-2');
      }
      return json('bought');
    });
    const env = { ...noWait(), random: () => 0.5 };
    const outcomes: SubmitOutcome[] = [];
    const invoker = new ContractInvoker(contract, {
      retry: policy,
      environment: env,
      onSubmit: (outcome) => outcomes.push(outcome),
    });
    await expect(invoker.submit('Buy', text)).resolves.toBe('bought');
    expect(contract.calls).toHaveLength(3);
    // Equal jitter: half of 100 and 200 fixed, half random (0.5 here).
    expect(env.slept).toEqual([75, 150]);
    expect(outcomes).toEqual([
      { transaction: 'trades:Buy', attempts: 3, ok: true, durationMs: expect.any(Number) as unknown },
    ]);
  });

  it('gives up on endless mismatches after the bound, reporting every attempt', async () => {
    const contract = new FakeContract('trades', () => {
      throw payloadMismatch();
    });
    const outcomes: SubmitOutcome[] = [];
    const invoker = new ContractInvoker(contract, {
      retry: policy,
      environment: noWait(),
      onSubmit: (outcome) => outcomes.push(outcome),
    });
    const error = await failure(invoker.submit('Buy', text));
    expect(error).toMatchObject({ code: 'ENDORSEMENT_MISMATCH', stage: 'endorse' });
    expect(contract.calls).toHaveLength(policy.attempts);
    expect(outcomes).toMatchObject([{ attempts: policy.attempts, ok: false, code: 'ENDORSEMENT_MISMATCH' }]);
  });

  it('reports a first-attempt success as one attempt, and a refusal with its code', async () => {
    let n = 0;
    const contract = new FakeContract('campaigns', () => {
      n += 1;
      if (n === 2) {
        throw chaincodeRefusal('CAMPAIGN_CLOSED', 'closed');
      }
      return json('ok');
    });
    const outcomes: SubmitOutcome[] = [];
    const invoker = new ContractInvoker(contract, {
      retry: policy,
      environment: noWait(),
      onSubmit: (o) => outcomes.push(o),
    });
    await invoker.submit('Commit', text);
    await failure(invoker.submit('Commit', text));
    expect(outcomes).toMatchObject([
      { transaction: 'campaigns:Commit', attempts: 1, ok: true },
      { transaction: 'campaigns:Commit', attempts: 1, ok: false, code: 'CAMPAIGN_CLOSED' },
    ]);
  });

  it('surfaces a phantom read conflict at once: only MVCC conflicts are retried', async () => {
    const contract = new FakeContract('users', () => {
      throw commitError('PHANTOM_READ_CONFLICT', 'tx-p');
    });
    const env = noWait();
    const invoker = new ContractInvoker(contract, { retry: policy, environment: env });
    const error = await failure(invoker.submit('Register', text));
    expect(error).toMatchObject({ code: 'PHANTOM_READ_CONFLICT', stage: 'commit', transactionId: 'tx-p' });
    expect(contract.calls).toHaveLength(1);
    expect(env.slept).toEqual([]);
  });

  it.each([
    ['a chaincode refusal', () => chaincodeRefusal('USER_EXISTS', 'already'), 'USER_EXISTS', 'endorse'],
    [
      'another validation failure',
      () => commitError('ENDORSEMENT_POLICY_FAILURE'),
      'ENDORSEMENT_POLICY_FAILURE',
      'commit',
    ],
  ])('surfaces %s at once', async (_what, make, code, stage) => {
    const contract = new FakeContract('users', () => {
      throw make();
    });
    const env = noWait();
    const invoker = new ContractInvoker(contract, { retry: policy, environment: env });
    expect(await failure(invoker.submit('Register', text))).toMatchObject({ code, stage });
    expect(contract.calls).toHaveLength(1);
    expect(env.slept).toEqual([]);
  });

  it('never retries an evaluate, and marks its failures evaluate', async () => {
    const message = 'evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: gone';
    const contract = new FakeContract('users', () => {
      throw new GatewayError({ code: 2, details: [], cause: serviceError(Grpc.UNKNOWN, message), message });
    });
    const invoker = new ContractInvoker(contract, { retry: policy, environment: noWait() });
    expect(await failure(invoker.evaluate('Get', text, ['U1']))).toMatchObject({
      code: 'NOT_FOUND',
      sentence: 'gone',
      stage: 'evaluate',
    });
    expect(contract.calls).toHaveLength(1);
  });
});

describe('ContractInvoker results', () => {
  it('decodes JSON into the type and refuses anything else as BAD_RESPONSE', async () => {
    const invoker = new ContractInvoker(new FakeContract('users', () => json({ not: 'a string' })));
    expect(await failure(invoker.evaluate('Get', text))).toMatchObject({
      code: 'BAD_RESPONSE',
      sentence: 'users:Get result should be a string',
    });
    const broken = new ContractInvoker(new FakeContract('users', () => Buffer.from('{')));
    expect(await failure(broken.evaluate('Get', text))).toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('refuses calls once the client is closed', async () => {
    const contract = new FakeContract('users', () => json('x'));
    const invoker = new ContractInvoker(contract, {
      checkOpen: () => {
        throw new Error('closed');
      },
    });
    await expect(invoker.submit('Register', text)).rejects.toThrow('closed');
    expect(contract.calls).toHaveLength(0);
  });
});
