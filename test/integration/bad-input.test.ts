/*
 * Generated bad input on the real network (issue 20): 1,000 calls to every
 * transaction, made with the gateway's contract directly (no SDK checks in
 * the way), evaluated or submitted. Every failure must carry a protocol code;
 * a refused submit must leave the chain as high as it was (nothing reached
 * the orderer); and the seeded records, read back through the chaincode, must
 * be byte for byte what they were, except for what a call that succeeded did.
 * The generators are the unit suite's (chaincode/src/testing/bad-input.ts).
 */
import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  assetIdFor,
  type Connection,
  CrowdLedger,
  type CrowdLedgerClient,
  isChaincodeErrorCode,
  publicKeyArgument,
  type SignedAction,
  toCrowdLedgerError,
} from '../../client/src';
import {
  type BadInputEnv,
  type CallPlan,
  callPlan,
  type KnownSigner,
  type RenderedCall,
  renderCall,
} from '../../chaincode/src/testing/bad-input';
import {
  connectAs,
  eventually,
  networkHome,
  newUserKey,
  type OrgKey,
  orgs,
  profilePath,
  referenceSecretOf,
  registration,
  signedArguments,
  uniqueSuffix,
  utf8,
} from './support';
import { fundAsset } from '../support/assets';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_2026);
/** Of the calls to a transaction that writes, how many in ten are submitted rather than evaluated. */
const SUBMIT_IN_TEN = 3;

type Platform = 'platform1' | 'platform2';

interface Caller {
  readonly org: OrgKey;
  readonly identity: string;
}

const P1_APP: Caller = { org: 'platform1', identity: 'app' };
/** The registry's application identity (role admin); its org admin has no role and reads nothing. */
const REGISTRY_APP: Caller = { org: 'registry', identity: 'app' };

/** Who makes the calls; Platform1's users hold the units, so it relays most. */
const CALLERS: readonly Caller[] = [
  P1_APP,
  P1_APP,
  { org: 'platform2', identity: 'app' },
  REGISTRY_APP,
  { org: 'registry', identity: 'admin' },
  { org: 'registry', identity: 'auditor' },
];

const run = uniqueSuffix();
const connections = new Map<string, Connection>();
const owner = new Map<string, Platform>();
let heights: CrowdLedgerClient[] = [];

function connection(caller: Caller): Connection {
  const c = connections.get(`${caller.org}/${caller.identity}`);
  if (c === undefined) {
    throw new Error(`no connection for ${caller.org}/${caller.identity}`);
  }
  return c;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
function json<T>(bytes: Uint8Array): T {
  return JSON.parse(utf8.decode(bytes)) as T;
}

/** A transaction of the chaincode, called by its full name: nothing on the client checks it. */
async function call(
  c: Connection,
  fcn: string,
  args: readonly string[],
  submit: boolean,
): Promise<Uint8Array> {
  const contract = c.network.getContract(c.profile.chaincode);
  const options = { arguments: [...args] };
  return submit ? contract.submit(fcn, options) : contract.evaluate(fcn, options);
}

async function act(platform: Platform, userId: string, key: KeyObject, action: SignedAction, params: object) {
  const args = signedArguments(action, userId, params as never, key);
  return json<Record<string, unknown>>(
    await call(connection({ org: platform, identity: 'app' }), action, args, true),
  );
}

async function newUser(platform: Platform, ref: string): Promise<KnownSigner> {
  const person = {
    platformRef: `fuzz-${ref}-${run}`,
    name: `模糊${ref}`,
    idType: 'PASSPORT',
    idNumber: `E${randomBytes(4).toString('hex').toUpperCase()}`,
  } as const;
  const c = connection({ org: platform, identity: 'app' });
  const user = json<{ userId: string }>(
    await c.contract('users').submit('Register', await registration(platform, person)),
  );
  const key = newUserKey().privateKey;
  await act(platform, user.userId, key, 'keys:Register', {
    publicKey: publicKeyArgument(key),
    algorithm: 'ES256',
  });
  owner.set(user.userId, platform);
  return { userId: user.userId, key };
}

const iso = (seconds: number): string => new Date(Date.now() + seconds * 1000).toISOString();

/** Two sellers' users on Platform1 and one on Platform2, an asset and a pending one, a listing, a trade, an offer, a campaign. */
async function seed(): Promise<BadInputEnv> {
  const [seller, buyer, other] = [
    await newUser('platform1', 'seller'),
    await newUser('platform1', 'buyer'),
    await newUser('platform2', 'other'),
  ];
  const register = async (ref: string, holders: { userId: string; units: number }[]): Promise<string> => {
    const input = fundAsset(`fuzz-${ref}-${run}`, holders, { name: `Fuzz ${ref}`, description: 'd' });
    await call(connection(P1_APP), 'assets:Register', [JSON.stringify(input)], true);
    return assetIdFor('Platform1MSP', input.assetRef);
  };
  const fund = await register('fund', [
    { userId: seller.userId, units: 60 },
    { userId: buyer.userId, units: 40 },
  ]);
  const pending = await register('pending', [
    { userId: seller.userId, units: 60 },
    { userId: other.userId, units: 40 },
  ]);
  const sell = (action: SignedAction, params: object) =>
    act('platform1', seller.userId, seller.key, action, params);
  const listing = await sell('listings:Create', {
    assetId: fund,
    units: 10,
    pricePerUnit: 15_000,
    minPerBuyer: 1,
    maxPerBuyer: 10,
    expiresAt: iso(7 * 86_400),
  });
  const listingId = String(listing['listingId']);
  const bought = await act('platform1', buyer.userId, buyer.key, 'trades:Buy', {
    listingId,
    units: 2,
    pricePerUnit: 15_000,
  });
  const offer = await sell('offers:Create', {
    assetId: fund,
    buyerId: other.userId,
    units: 5,
    pricePerUnit: 12_000,
    expiresAt: iso(3 * 86_400),
  });
  const campaign = await sell('campaigns:Create', {
    assetId: fund,
    units: 20,
    targetUnits: 12,
    pricePerUnit: 10_000,
    minPerInvestor: 2,
    maxPerInvestor: 15,
    deadline: iso(10 * 86_400),
  });
  const campaignId = String(campaign['listingId']);
  await act('platform1', buyer.userId, buyer.key, 'campaigns:Commit', {
    listingId: campaignId,
    units: 2,
    pricePerUnit: 10_000,
  });
  const profile = connection(P1_APP).profile;
  const pems = await Promise.all([
    readFile(join(networkHome(), 'orgs', 'registry', 'assetca-cert.pem'), 'utf8'),
    readFile(profile.identities['app']?.cert ?? '', 'utf8'),
  ]);
  const trade = (bought['trade'] ?? {}) as { tradeId?: string };
  return {
    known: {
      users: [seller.userId, buyer.userId, other.userId],
      assets: [fund, pending],
      listings: [listingId, campaignId],
      offers: [String(offer['offerId'])],
      trades: [trade.tradeId ?? ''],
      mspIds: ['Platform1MSP', 'Platform2MSP', 'RegistryMSP'],
      pems,
    },
    signers: [seller, buyer, other],
    strangerKey: newUserKey().privateKey,
    nowSeconds: 0,
  };
}

/** The seeded records as the chaincode answers them, hashed: every public and private record a call could touch. */
async function seededDigest(env: BadInputEnv): Promise<string> {
  const registry = connection(REGISTRY_APP);
  const p1 = connection(P1_APP);
  const reads: [Connection, string, string[]][] = [
    ...env.known.users.map((u): [Connection, string, string[]] => [registry, 'users:Get', [u]]),
    ...env.known.users.map((u): [Connection, string, string[]] => [registry, 'keys:Get', [u]]),
    ...env.known.users.map((u): [Connection, string, string[]] => [registry, 'users:Portfolio', [u]]),
    ...env.known.users
      .slice(0, 2)
      .map((u): [Connection, string, string[]] => [p1, 'users:GetPersonalData', [u]]),
    ...env.known.assets.map((a): [Connection, string, string[]] => [
      registry,
      'assets:Holders',
      [a, '100', ''],
    ]),
    ...env.known.assets.map((a): [Connection, string, string[]] => [registry, 'assets:Get', [a]]),
    ...env.known.listings.map((l): [Connection, string, string[]] => [registry, 'listings:Get', [l]]),
    [registry, 'campaigns:Commitments', [env.known.listings[1] ?? '']],
    [registry, 'offers:Get', [env.known.offers[0] ?? '']],
    [registry, 'trades:Get', [env.known.trades[0] ?? '']],
    [registry, 'assets:PendingHoldings', ['Platform2MSP', '100', '']],
    [registry, 'listings:Open', ['100', '']],
  ];
  const hash = createHash('sha256');
  for (const [c, fcn, args] of reads) {
    hash.update(`${fcn}\u0001${args.join('\u0001')}\u0001`).update(await call(c, fcn, args, false));
  }
  return hash.digest('hex');
}

/** Every peer at one height: the chain after the last commit has reached them all. */
async function settledHeight(): Promise<bigint> {
  return eventually(async () => {
    const all = await Promise.all(heights.map((c) => c.chainHeight()));
    expect(new Set(all).size).toBe(1);
    return all[0] ?? 0n;
  });
}

/** Each chaincode service's pid: a crash would show as a changed or missing process. */
async function chaincodePids(): Promise<string[]> {
  const nodes = join(networkHome(), 'nodes');
  const names = (await readdir(nodes)).filter((name) => name.startsWith('cc.')).sort();
  return Promise.all(
    names.map(async (name) => `${name} ${(await readFile(join(nodes, name, 'pid'), 'utf8')).trim()}`),
  );
}

/** The transactions the deployed chaincode's metadata marks for submit: the others only read. */
async function writes(): Promise<Set<string>> {
  const metadata = json<{ contracts: Record<string, { transactions: { name: string; tag?: string[] }[] }> }>(
    await call(connection(REGISTRY_APP), 'org.hyperledger.fabric:GetMetadata', [], false),
  );
  const names = new Set<string>();
  for (const [contract, { transactions }] of Object.entries(metadata.contracts)) {
    for (const t of transactions.filter((d) => (d.tag ?? []).includes('SUBMIT'))) {
      names.add(`${contract}:${t.name}`);
    }
  }
  return names;
}

beforeAll(async () => {
  for (const caller of CALLERS) {
    const id = `${caller.org}/${caller.identity}`;
    if (!connections.has(id)) {
      connections.set(id, await connectAs(caller.org, caller.identity));
    }
  }
  heights = await Promise.all(
    orgs.map((org) => CrowdLedger.connect({ profile: profilePath(org), identity: 'app' })),
  );
});

afterAll(() => {
  for (const c of connections.values()) {
    c.close();
  }
  for (const c of heights) {
    c.close();
  }
});

interface Outcome {
  readonly code: string;
  readonly message: string;
}

async function attempt(c: Connection, rendered: RenderedCall, submit: boolean): Promise<Outcome> {
  try {
    const contract = c.network.getContract(c.profile.chaincode);
    const options = { arguments: [...rendered.args], transientData: Object.fromEntries(rendered.transient) };
    await (submit ? contract.submit(rendered.fcn, options) : contract.evaluate(rendered.fcn, options));
    return { code: 'OK', message: '' };
  } catch (error) {
    const failure = toCrowdLedgerError(error);
    return { code: failure.rawCode, message: failure.message };
  }
}

interface Run {
  readonly env: BadInputEnv;
  readonly secret: string;
  readonly written: ReadonlySet<string>;
  readonly codes: Map<string, number>;
  evaluated: number;
  submitted: number;
  succeeded: number;
  /** Submits that went through (a generated call that happened to be valid). */
  committed: number;
  /** The chain's height and the seeded records' digest since the last write that went through. */
  height: bigint;
  digest: string;
}

function callerOf(rendered: RenderedCall): Caller {
  const relay = rendered.relayFor === undefined ? undefined : owner.get(rendered.relayFor);
  return relay === undefined
    ? (CALLERS[rendered.caller % CALLERS.length] ?? P1_APP)
    : { org: relay, identity: 'app' };
}

/** One call's properties: a failure has a protocol code, and a refused submit leaves the chain as it was. */
async function checkCall(state: Run, plan: CallPlan, die: number): Promise<void> {
  const rendered = renderCall(
    plan,
    { ...state.env, nowSeconds: Math.floor(Date.now() / 1000) },
    state.secret,
  );
  const submit = state.written.has(rendered.fcn) && die < SUBMIT_IN_TEN;
  const outcome = await attempt(connection(callerOf(rendered)), rendered, submit);
  state[submit ? 'submitted' : 'evaluated'] += 1;
  state.codes.set(outcome.code, (state.codes.get(outcome.code) ?? 0) + 1);
  if (outcome.code === 'OK') {
    state.succeeded += 1;
    if (submit) {
      state.committed += 1;
      // A write that went through: the new state is the baseline from here on.
      state.height = await settledHeight();
      state.digest = await seededDigest(state.env);
    }
    return;
  }
  if (!isChaincodeErrorCode(outcome.code)) {
    throw new Error(`${rendered.fcn} failed without a protocol code: ${outcome.message}`);
  }
  if (submit) {
    expect({ fcn: rendered.fcn, height: await settledHeight() }).toEqual({
      fcn: rendered.fcn,
      height: state.height,
    });
  }
}

describe('generated bad input on the network', () => {
  it(`answers ${String(RUNS)} generated calls with a code, and a refused submit writes nothing`, async () => {
    const env = await seed();
    const pids = await chaincodePids();
    const state: Run = {
      env,
      secret: await referenceSecretOf('platform1'),
      written: await writes(),
      codes: new Map(),
      evaluated: 0,
      submitted: 0,
      succeeded: 0,
      committed: 0,
      height: await settledHeight(),
      digest: await seededDigest(env),
    };
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(callPlan(), fc.integer({ min: 0, max: 9 }), (plan, die) =>
        checkCall(state, plan, die),
      ),
      { numRuns: RUNS, seed: SEED },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(await seededDigest(env)).toBe(state.digest);
    expect(await settledHeight()).toBe(state.height);
    expect(await chaincodePids()).toEqual(pids);
    const { evaluated, submitted, succeeded, committed } = state;
    const codes = Object.fromEntries([...state.codes].sort());
    console.log(JSON.stringify({ runs: RUNS, seconds, evaluated, submitted, succeeded, committed, codes }));
    expect(evaluated + submitted).toBe(RUNS);
    expect(submitted).toBeGreaterThan(RUNS / 20);
  });
});
