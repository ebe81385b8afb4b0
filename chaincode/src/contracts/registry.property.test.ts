/*
 * R2's invariant under any mix of valid and invalid registrations: for every
 * asset on the ledger, holding units are whole, safe, positive numbers that
 * add up to its total units, and a call that fails writes nothing.
 */
import * as fc from 'fast-check';
import { isChaincodeError } from '../values/errors';
import type { FakeStub } from '../testing/fake-context';
import { makeTestPki, type TestPki } from '../testing/pki';
import { assetInput, P1, P2, userIdOf, World } from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

type Platform = 'platform1' | 'platform2';
const MSP: Record<Platform, string> = { platform1: P1, platform2: P2 };

interface RegisterUser {
  readonly kind: 'user';
  readonly platform: Platform;
  readonly ref: string;
  readonly validId: boolean;
}

interface RegisterAsset {
  readonly kind: 'asset';
  readonly platform: Platform;
  readonly ref: string;
  readonly holders: readonly { readonly owner: Platform; readonly ref: string; readonly units: unknown }[];
  readonly totalOffset: number;
}

type Command = RegisterUser | RegisterAsset;

const platform = fc.constantFrom<Platform>('platform1', 'platform2');
const userRef = fc.constantFrom('u0', 'u1', 'u2', 'u3');

/** Mostly valid units, and every kind of invalid one the rules must refuse. */
const units: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 0 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, min: -10, max: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 2 ** 60) },
  { weight: 1, arbitrary: fc.constantFrom('10', '10abc', 'NaN', null, true, [1]) },
);

const registerUser: fc.Arbitrary<RegisterUser> = fc.record({
  kind: fc.constant('user' as const),
  platform,
  ref: userRef,
  validId: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
});

function other(own: Platform): Platform {
  return own === 'platform1' ? 'platform2' : 'platform1';
}

// Holders are mostly the registering platform's own users and sometimes
// another platform's: both are valid initial holders.
const registerAsset: fc.Arbitrary<RegisterAsset> = fc
  .record({
    platform,
    ref: fc.constantFrom('a0', 'a1', 'a2'),
    holders: fc.uniqueArray(
      fc.record({
        ref: userRef,
        units,
        foreign: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, fc.constant(true)),
      }),
      { selector: (holder) => holder.ref, maxLength: 4 },
    ),
    totalOffset: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: -2, max: 2 })),
  })
  .map(({ platform: own, ref, holders, totalOffset }) => ({
    kind: 'asset' as const,
    platform: own,
    ref,
    holders: holders.map((h) => ({ owner: h.foreign ? other(own) : own, ref: h.ref, units: h.units })),
    totalOffset,
  }));

/** Some users first, then any mix, so assets have someone to be held by. */
const commands: fc.Arbitrary<Command[]> = fc
  .tuple(
    fc.array(registerUser, { maxLength: 6 }),
    fc.array(fc.oneof(registerUser, registerAsset), { maxLength: 10 }),
  )
  .map(([users, rest]) => [...users, ...rest]);

async function run(world: World, step: Command): Promise<void> {
  if (step.kind === 'user') {
    const idNumber = step.validId ? '11010519491231002X' : '110105194912310020';
    await world.registerUser(step.platform, step.ref, { name: '欧阳娜娜', idType: 'RESIDENT_ID', idNumber });
    return;
  }
  const holders = step.holders.map((h) => ({ userId: userIdOf(MSP[h.owner], h.ref), units: h.units }));
  const numeric = holders.map((h) => (typeof h.units === 'number' ? h.units : 0));
  const total = numeric.reduce((sum, value) => sum + value, 0) + step.totalOffset;
  await world.registerAsset(step.platform, assetInput({ assetRef: step.ref, totalUnits: total, holders }));
}

function records(stub: FakeStub, prefix: string): Record<string, unknown>[] {
  return [...stub.state.entries()]
    .filter(([key]) => key.startsWith(`\u0000${prefix}\u0000`))
    .map(([, value]) => JSON.parse(Buffer.from(value).toString('utf8')) as Record<string, unknown>);
}

function checkInvariant(stub: FakeStub): void {
  const holdings = records(stub, 'holding');
  for (const asset of records(stub, 'asset')) {
    const held = holdings.filter((h) => h['assetId'] === asset['assetId']).map((h) => h['units']);
    expect(held.length).toBeGreaterThan(0);
    for (const value of held) {
      expect(Number.isSafeInteger(value) && (value as number) > 0).toBe(true);
    }
    const sum = held.reduce<bigint>((total, value) => total + BigInt(value as number), 0n);
    expect(sum).toBe(BigInt(asset['totalUnits'] as number));
  }
}

describe('registrations in any order', () => {
  it('keep holding units whole, safe, positive and summing to total units; failures write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (steps) => {
        const world = new World(pki);
        for (const step of steps) {
          const writes = world.stub.writes.length;
          const events = world.stub.events.length;
          const failure = await run(world, step).then(
            () => undefined,
            (error: unknown) => error,
          );
          if (failure === undefined) {
            expect(world.stub.events.length - events).toBe(1);
          } else {
            expect(isChaincodeError(failure)).toBe(true);
            expect(world.stub.writes).toHaveLength(writes);
            expect(world.stub.events).toHaveLength(events);
          }
          checkInvariant(world.stub);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('registers at least some assets, so the property is not vacuous', async () => {
    const samples = fc.sample(commands, { numRuns: 150, seed: 42 });
    let assets = 0;
    for (const steps of samples) {
      const world = new World(pki);
      for (const step of steps) {
        await run(world, step).catch(() => undefined);
      }
      assets += records(world.stub, 'asset').length;
    }
    expect(assets).toBeGreaterThan(10);
  });
});
