import { generateKeyPairSync } from 'node:crypto';
import type * as FabricGateway from '@hyperledger/fabric-gateway';
import type { ConnectOptions as GatewayOptions } from '@hyperledger/fabric-gateway';
import { CrowdLedger } from './crowdledger';
import { checkDeadlines, DEADLINES_MS } from './deadlines';

// Every options object the SDK hands fabric-gateway's connect, which still
// runs: what a call would be bounded by is what it was given here.
const mockGatewayOptions: GatewayOptions[] = [];
jest.mock('@hyperledger/fabric-gateway', () => {
  const actual = jest.requireActual<typeof FabricGateway>('@hyperledger/fabric-gateway');
  return {
    ...actual,
    connect: (options: GatewayOptions) => {
      mockGatewayOptions.push(options);
      return actual.connect(options);
    },
  };
});

const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const certPem = '-----BEGIN CERTIFICATE-----\nnot parsed before the first call\n-----END CERTIFICATE-----\n';
const settings = {
  peerEndpoint: '127.0.0.1:1',
  tlsRootCert: certPem,
  mspId: 'Platform1MSP',
  certificate: certPem,
  privateKey: keyPem,
};

/** How far ahead of now each call kind's deadline lies in the options fabric-gateway got. */
function deadlinesGiven(options: GatewayOptions | undefined): Record<string, number> {
  // The clock is read after the factory: read before, a millisecond tick in
  // between made a 5,000 ms deadline look like 5,001 (CI, stop 25).
  const ahead = (factory: (() => { deadline?: unknown }) | undefined): number => {
    const deadline = factory?.().deadline;
    return typeof deadline === 'number' ? deadline - Date.now() : Number.NaN;
  };
  return {
    evaluate: ahead(options?.evaluateOptions),
    endorse: ahead(options?.endorseOptions),
    submit: ahead(options?.submitOptions),
    commitStatus: ahead(options?.commitStatusOptions),
  };
}

/** Within a second of the expected deadlines: the factories read the clock a moment before the test does. */
function expectNear(given: Record<string, number>, expected: Record<string, number>): void {
  for (const [kind, ms] of Object.entries(expected)) {
    expect(given[kind]).toBeGreaterThan(ms - 1_000);
    expect(given[kind]).toBeLessThanOrEqual(ms);
  }
}

describe('deadlinesMs', () => {
  beforeEach(() => {
    mockGatewayOptions.length = 0;
  });

  it("reaches the gateway's call options, the other kinds keeping their defaults", async () => {
    const client = await CrowdLedger.connect({
      ...settings,
      deadlinesMs: { endorse: 42_000, commitStatus: 240_000 },
    });
    client.close();
    expect(mockGatewayOptions).toHaveLength(1);
    expectNear(deadlinesGiven(mockGatewayOptions[0]), {
      evaluate: DEADLINES_MS.evaluate,
      endorse: 42_000,
      submit: DEADLINES_MS.submit,
      commitStatus: 240_000,
    });
  });

  it('are 5, 15, 5 and 60 seconds when absent', async () => {
    const client = await CrowdLedger.connect(settings);
    client.close();
    expectNear(deadlinesGiven(mockGatewayOptions[0]), {
      evaluate: 5_000,
      endorse: 15_000,
      submit: 5_000,
      commitStatus: 60_000,
    });
  });

  it('refuses a deadline out of range, not whole, or of a kind it does not know, before dialling', async () => {
    const refused = [
      { endorse: 99 },
      { submit: 600_001 },
      { evaluate: 1.5 },
      { commitStatus: Number.NaN },
      { endorsement: 30_000 } as unknown as { endorse: number },
    ];
    for (const deadlinesMs of refused) {
      await expect(CrowdLedger.connect({ ...settings, deadlinesMs })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
    }
    expect(mockGatewayOptions).toHaveLength(0);
    expect(() => checkDeadlines({ endorse: 30 })).toThrow(
      'INVALID_OPTIONS: deadlinesMs.endorse must be a whole number of milliseconds from 100 to 600000',
    );
    expect(() => checkDeadlines({ endorsement: 1 } as unknown as { endorse: number })).toThrow(
      'INVALID_OPTIONS: deadlinesMs has no endorsement; it takes evaluate, endorse, submit, commitStatus',
    );
  });

  it('takes the range ends, and leaves the defaults themselves unchanged', () => {
    expect(checkDeadlines({ endorse: 100, commitStatus: 600_000 })).toEqual({
      ...DEADLINES_MS,
      endorse: 100,
      commitStatus: 600_000,
    });
    expect(DEADLINES_MS.endorse).toBe(15_000);
  });
});
