/*
 * R2's invariant under any mix of valid and invalid registrations, and of
 * accepting and declining pending holdings by any platform (R13): for every
 * asset on the ledger, holding units are whole, safe, positive numbers that
 * add up to its total units, pending ones included; exactly the PENDING
 * holdings are listed for their holder's platform, and they are all another
 * platform's users'; and a call that fails writes nothing.
 */
import * as fc from 'fast-check';
import { isChaincodeError } from '../values/errors';
import type { FakeStub } from '../testing/fake-context';
import { makeTestPki, type TestPki } from '../testing/pki';
import { assetInput, contracts, P1, P2, userIdOf, World } from '../testing/world';

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

interface Decide {
  readonly kind: 'decide';
  readonly verb: 'accept' | 'decline';
  /** Which pending holding, by its place among those listed now; any holding of the first asset when none is. */
  readonly pick: number;
  /** Who calls: the holder's own platform (which may), or the asset's (which may not). */
  readonly caller: 'holder' | 'asset';
}

type Command = RegisterUser | RegisterAsset | Decide;

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

// Mostly the holder's own platform deciding (what can succeed), sometimes
// the asset's platform (what must be refused).
const decide: fc.Arbitrary<Decide> = fc.record({
  kind: fc.constant('decide' as const),
  verb: fc.constantFrom<'accept' | 'decline'>('accept', 'decline'),
  pick: fc.nat({ max: 20 }),
  caller: fc.oneof({ weight: 4, arbitrary: fc.constant('holder' as const) }, fc.constant('asset' as const)),
});

/** Some users first, then any mix, so assets have someone to be held by. */
const commands: fc.Arbitrary<Command[]> = fc
  .tuple(
    fc.array(registerUser, { maxLength: 6 }),
    fc.array(fc.oneof(registerUser, registerAsset), { maxLength: 10 }),
  )
  .map(([users, rest]) => [...users, ...rest]);

/**
 * Every user registered on both platforms, then valid registrations with
 * holders of both, and decisions on what is pending: most decisions meet a
 * holding, so accepting and declining are exercised, not only refused.
 */
const decisions: fc.Arbitrary<Command[]> = fc
  .array(
    fc.oneof(
      // Every other holder another platform's user: plenty pending to decide on.
      registerAsset.map((step) => ({
        ...step,
        holders: step.holders.map((h, i) => ({
          ...h,
          owner: i % 2 === 0 ? step.platform : other(step.platform),
          units: i + 1,
        })),
        totalOffset: 0,
      })),
      decide,
      decide,
    ),
    { maxLength: 14 },
  )
  .map((rest): Command[] => [
    ...(['platform1', 'platform2'] as const).flatMap((p) =>
      ['u0', 'u1', 'u2', 'u3'].map((ref) => ({ kind: 'user' as const, platform: p, ref, validId: true })),
    ),
    ...rest,
  ]);

async function run(world: World, step: Command): Promise<void> {
  if (step.kind === 'user') {
    const idNumber = step.validId ? '11010519491231002X' : '110105194912310020';
    await world.registerUser(step.platform, step.ref, { name: '欧阳娜娜', idType: 'RESIDENT_ID', idNumber });
    return;
  }
  if (step.kind === 'decide') {
    await runDecision(world, step);
    return;
  }
  const holders = step.holders.map((h) => ({ userId: userIdOf(MSP[h.owner], h.ref), units: h.units }));
  const numeric = holders.map((h) => (typeof h.units === 'number' ? h.units : 0));
  const total = numeric.reduce((sum, value) => sum + value, 0) + step.totalOffset;
  await world.registerAsset(step.platform, assetInput({ assetRef: step.ref, totalUnits: total, holders }));
}

const PLATFORM_OF: Readonly<Record<string, Platform>> = { [P1]: 'platform1', [P2]: 'platform2' };

/** The holding a decision is about: a pending one by its place, or with none pending any holding. */
function chosenHolding(stub: FakeStub, pick: number): { holderMsp: string; assetId: string; userId: string } {
  const listed = keysOf(stub, 'pendingHolding');
  const holdings = listed.length > 0 ? listed : keysOf(stub, 'holding').map((k) => ['', ...k]);
  const [holderMsp = '', assetId = '', userId = ''] = holdings[pick % Math.max(1, holdings.length)] ?? [];
  return { holderMsp, assetId, userId };
}

/** Accepts or declines a holding listed as pending now (or, with none, an accepted one, which is refused). */
async function runDecision(world: World, step: Decide): Promise<void> {
  const { holderMsp, assetId, userId } = chosenHolding(world.stub, step.pick);
  const asset = records(world.stub, 'asset').find((a) => a['assetId'] === assetId);
  const assetMsp = typeof asset?.['platform'] === 'string' ? asset['platform'] : P1;
  const msp = step.caller === 'holder' && holderMsp !== '' ? holderMsp : assetMsp;
  const ctx = world.as(PLATFORM_OF[msp] ?? 'platform1');
  await (step.verb === 'accept'
    ? contracts.assets.AcceptHolding(ctx, assetId, userId)
    : contracts.assets.DeclineHolding(ctx, assetId, userId));
}

function records(stub: FakeStub, prefix: string): Record<string, unknown>[] {
  return [...stub.state.entries()]
    .filter(([key]) => key.startsWith(`\u0000${prefix}\u0000`))
    .map(([, value]) => JSON.parse(Buffer.from(value).toString('utf8')) as Record<string, unknown>);
}

/** The attributes of every key under a prefix. */
function keysOf(stub: FakeStub, prefix: string): string[][] {
  return [...stub.state.keys()]
    .filter((key) => key.startsWith(`\u0000${prefix}\u0000`))
    .map((key) => key.split('\u0000').slice(2, -1));
}

/** Exactly the PENDING holdings are listed, each for its holder's platform, which is not the asset's. */
function checkPending(stub: FakeStub): void {
  const platformOf = new Map(records(stub, 'user').map((u) => [u['userId'], u['platform']]));
  const assetPlatform = new Map(records(stub, 'asset').map((a) => [a['assetId'], a['platform']]));
  const pending = records(stub, 'holding')
    .filter((h) => h['certificate'] === 'PENDING')
    .map((h) => [platformOf.get(h['userId']), h['assetId'], h['userId']].join('/'));
  const listed = keysOf(stub, 'pendingHolding').map((parts) => parts.join('/'));
  expect(listed.sort()).toEqual(pending.sort());
  for (const [holderPlatform, assetId] of keysOf(stub, 'pendingHolding')) {
    expect(holderPlatform).not.toBe(assetPlatform.get(assetId));
  }
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

/** Runs one step and checks every invariant; the name of the event it emitted, if it succeeded. */
async function checkedStep(world: World, step: Command): Promise<string | undefined> {
  const writes = world.stub.writes.length;
  const events = world.stub.events.length;
  const failure = await run(world, step).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (failure !== undefined) {
    expect(isChaincodeError(failure)).toBe(true);
    expect(world.stub.writes).toHaveLength(writes);
  }
  expect(world.stub.events.length - events).toBe(failure === undefined ? 1 : 0);
  checkInvariant(world.stub);
  checkPending(world.stub);
  return failure === undefined ? world.stub.events.at(-1)?.name : undefined;
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
          checkPending(world.stub);
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

  it('keep the same through accepting and declining pending holdings, and decide some of each', async () => {
    const decided = { HoldingAccepted: 0, HoldingDeclined: 0 };
    await fc.assert(
      fc.asyncProperty(decisions, async (steps) => {
        const world = new World(pki);
        for (const step of steps) {
          const name = await checkedStep(world, step);
          if (name === 'HoldingAccepted' || name === 'HoldingDeclined') {
            decided[name] += 1;
          }
        }
      }),
      { numRuns: 150, seed: 17 },
    );
    expect(decided.HoldingAccepted).toBeGreaterThan(5);
    expect(decided.HoldingDeclined).toBeGreaterThan(5);
  });
});
