/*
 * Generated bad input (issue 20): 10,000 calls to every transaction, through
 * what the chaincode service runs (front door, fabric-shim's dispatcher, the
 * contracts), on a populated world in the in-memory stub. Every failure must
 * be "CODE: sentence" with a protocol code, and must leave the world state,
 * public and private, byte for byte as it was. Seeded: a failure prints the
 * seed and path that replay it (FUZZ_SEED overrides the seed).
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { isErrorCode } from '@crowdledger/protocol';
import { CrowdLedgerChaincode } from './chaincode';
import { contracts } from './index';
import { FakeStub } from './testing/fake-context';
import { makeTestPki, type TestPki } from './testing/pki';
import {
  ALL_TRANSACTIONS,
  type BadInputEnv,
  callPlan,
  type RenderedCall,
  renderCall,
  shapeOf,
} from './testing/bad-input';
import { buy, createCampaign, createListing, createOffer, commit } from './testing/trading';
import {
  ALICE,
  assetInput,
  BOB,
  CAROL,
  FUND,
  HOLDER_CERTS,
  KEYS,
  P1,
  P2,
  REFERENCE_SECRETS,
  World,
} from './testing/world';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_2026);

interface Response {
  readonly status: number;
  readonly message?: string;
  readonly payload?: Uint8Array;
}

interface Dispatcher {
  Invoke(stub: FakeStub): Promise<Response>;
}

/** The world state, public and private, as one hash: any write changes it. */
function worldDigest(stub: FakeStub): string {
  const hash = createHash('sha256');
  const add = (scope: string, entries: Iterable<[string, Uint8Array]>): void => {
    for (const [key, value] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
      hash.update(`${scope}\u0001${key}\u0001`).update(value).update('\u0002');
    }
  };
  add('', stub.state.entries());
  for (const [collection, entries] of [...stub.privateData.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    add(collection, entries.entries());
  }
  return hash.digest('hex');
}

/** Transactions fabric's metadata marks as evaluate-only: they must write nothing even when they succeed. */
function queries(): Set<string> {
  const names = new Set<string>();
  for (const Contract of contracts) {
    const declared = (Reflect.getMetadata('fabric:transactions', Contract.prototype) ?? []) as {
      name: string;
      tag?: string[];
    }[];
    for (const t of declared) {
      if (!(t.tag ?? []).includes('SUBMIT')) {
        names.add(`${new Contract().getName()}:${t.name}`);
      }
    }
  }
  return names;
}

let pki: TestPki;
let world: World;
let env: BadInputEnv;
let callers: readonly { readonly mspid: string; readonly pem: string }[];

/** Users with keys, fund-1 with a pending holding, a listing, a trade, an offer, a campaign with a commitment, a certificate. */
async function populate(): Promise<BadInputEnv> {
  await world.trading();
  const fund2 = assetInput({
    assetRef: 'fund-2',
    holders: [
      { userId: ALICE, units: 60 },
      { userId: CAROL, units: 40 },
    ],
  });
  const pendingAsset = await world.registerAsset('platform1', fund2);
  const listing = await createListing(world);
  const trade = await buy(world, listing.listingId, BOB, 2);
  const offer = await createOffer(world);
  const campaign = await createCampaign(world);
  await commit(world, campaign.listingId, BOB, 2);
  world.nextTx();
  await world.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
  world.nextTx();
  return {
    known: {
      users: [ALICE, BOB, CAROL],
      assets: [FUND, pendingAsset.assetId],
      listings: [listing.listingId, campaign.listingId],
      offers: [offer.offerId],
      trades: [trade.trade.tradeId],
      mspIds: [P1, P2, 'RegistryMSP'],
      pems: [pki.assetCa, pki.registryUser, pki.platformUser, pki.forgedHolder, pki.holders['alice'] ?? ''],
    },
    signers: [
      { userId: ALICE, key: KEYS.alice },
      { userId: BOB, key: KEYS.bob },
      { userId: CAROL, key: KEYS.carol },
    ],
    strangerKey: KEYS.stranger,
    nowSeconds: world.stub.txSeconds,
  };
}

beforeAll(async () => {
  pki = makeTestPki(HOLDER_CERTS);
  world = new World(pki, new FakeStub());
  env = await populate();
  // Platform1's users hold the units, so it relays most calls.
  callers = [
    { mspid: P1, pem: pki.platformUser },
    { mspid: P1, pem: pki.platformUser },
    { mspid: P2, pem: pki.platformUser },
    { mspid: 'RegistryMSP', pem: pki.registryUser },
    { mspid: 'RegistryMSP', pem: pki.holders['alice'] ?? '' },
    { mspid: 'UnknownMSP', pem: pki.platformUser },
  ];
});

/** Each signer's own platform. */
const PLATFORM_OF: Readonly<Record<string, string>> = { [ALICE]: P1, [BOB]: P1, [CAROL]: P2 };

const CODED = /^([A-Z][A-Z0-9_]*): \S/;

let calls = 0;

async function invoke(dispatcher: Dispatcher, call: RenderedCall): Promise<Response> {
  const stub = world.stub;
  calls += 1;
  stub.txId = `fuzz-${String(calls)}`;
  stub.args = [call.fcn, ...call.args];
  stub.fcn = call.fcn;
  const relay =
    call.relayFor === undefined
      ? undefined
      : { mspid: PLATFORM_OF[call.relayFor] ?? P1, pem: pki.platformUser };
  const caller = relay ?? callers[call.caller % callers.length] ?? { mspid: P1, pem: pki.platformUser };
  stub.creator = { mspid: caller.mspid, idBytes: Buffer.from(caller.pem, 'utf8') };
  stub.transient = new Map([...call.transient].map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
  return dispatcher.Invoke(stub);
}

interface Tally {
  /** Failures per code (an uncoded one under "uncoded: message"). */
  readonly codes: Map<string, number>;
  readonly touched: Set<string>;
  /** Successes per transaction. */
  readonly succeeded: Map<string, number>;
  readonly readOnly: ReadonlySet<string>;
}

/** One call's properties: a success of a query writes nothing; a failure is coded and writes nothing. */
async function checkCall(dispatcher: Dispatcher, call: RenderedCall, tally: Tally): Promise<void> {
  const before = worldDigest(world.stub);
  const response = await invoke(dispatcher, call);
  tally.touched.add(call.fcn);
  expect(world.stub.openIterators).toBe(0);
  const wrote = worldDigest(world.stub) !== before;
  if (response.status === 200) {
    count(tally.succeeded, call.fcn);
    expectCodedCheck(call.fcn, response.payload);
    expect({ fcn: call.fcn, wrote }).toEqual({
      fcn: call.fcn,
      wrote: wrote && !tally.readOnly.has(call.fcn),
    });
    return;
  }
  const message = response.message ?? '';
  const code = CODED.exec(message)?.[1] ?? `uncoded: ${message}`;
  count(tally.codes, code);
  if (!isErrorCode(code)) {
    throw new Error(`${call.fcn} failed without a protocol code: ${message}`);
  }
  expect({ fcn: call.fcn, message, wrote }).toEqual({ fcn: call.fcn, message, wrote: false });
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** A pre-trade check (trades:CanBuy, campaigns:CanCommit) answers a refusal as a result: its code must be a protocol code too. */
function expectCodedCheck(fcn: string, payload: Uint8Array | undefined): void {
  const text = Buffer.from(payload ?? []).toString('utf8');
  const result = (text.startsWith('{') ? JSON.parse(text) : {}) as { ok?: unknown; code?: unknown };
  if (result.ok === false && !isErrorCode(String(result.code))) {
    throw new Error(`${fcn} answered a check without a protocol code: ${text}`);
  }
}

describe('generated bad input through the chaincode', () => {
  it('knows the argument kinds of every transaction the chaincode serves', () => {
    const served = new Map<string, number>();
    for (const Contract of contracts) {
      const declared = (Reflect.getMetadata('fabric:transactions', Contract.prototype) ?? []) as {
        name: string;
        parameters?: unknown[];
      }[];
      for (const t of declared) {
        served.set(`${new Contract().getName()}:${t.name}`, t.parameters?.length ?? 0);
      }
    }
    expect([...served.keys()].sort()).toEqual([...ALL_TRANSACTIONS].sort());
    for (const fcn of ALL_TRANSACTIONS) {
      const kinds = shapeOf(fcn);
      const count = kinds.reduce((n, kind) => n + (kind === 'consent' ? 2 : 1), 0);
      expect([fcn, count]).toEqual([fcn, served.get(fcn)]);
    }
  });

  it(`answers ${String(RUNS)} generated calls with a code and writes nothing when one fails`, async () => {
    const dispatcher = new CrowdLedgerChaincode() as unknown as Dispatcher;
    const tally: Tally = { codes: new Map(), touched: new Set(), succeeded: new Map(), readOnly: queries() };
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(callPlan(), (plan) =>
        checkCall(dispatcher, renderCall(plan, env, REFERENCE_SECRETS[P1] ?? ''), tally),
      ),
      { numRuns: RUNS, seed: SEED },
    );
    if (process.env['FUZZ_REPORT'] !== undefined) {
      const seconds = (Date.now() - started) / 1000;
      const codes = Object.fromEntries([...tally.codes].sort());
      console.log(
        JSON.stringify({
          runs: RUNS,
          seconds,
          succeeded: Object.fromEntries([...tally.succeeded].sort()),
          codes,
        }),
      );
    }
    // A full run calls every transaction and meets many codes (a short FUZZ_RUNS replay need not).
    const full = RUNS >= 10_000;
    expect(ALL_TRANSACTIONS.filter((fcn) => !tally.touched.has(fcn) && full)).toEqual([]);
    expect(full ? tally.codes.size : 21).toBeGreaterThan(20);
  });
});
