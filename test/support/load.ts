// A small, steady load for fault tests: new user registrations and signed
// one-unit buys from both platforms at a fixed rate, each through its
// platform's gateway, with the transaction ID of every commit the client saw.
// Buys are spread over several sellers' listings and a pool of buyers, since
// each buy rewrites its listing, its seller's and its buyer's holdings: one
// hot listing would turn the load into a queue of read conflicts.
import { type KeyObject, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProposalOptions } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { type Connection, publicKeyArgument, type SignedAction, toCrowdLedgerError } from '../../client/src';
import {
  newUserKey,
  registration,
  signedArguments,
  uniqueSuffix,
  utf8,
  connectAs,
} from '../integration/support';
import { fundAsset } from './assets';
import type { TrackedAsset } from './invariants';

export type Platform = 'platform1' | 'platform2';
export type LoadKind = 'register' | 'buy';

/** One attempt: committed (with its transaction ID), or failed with a code. */
export interface Outcome {
  readonly kind: LoadKind;
  readonly platform: Platform;
  readonly startedAt: number;
  readonly ms: number;
  readonly txId?: string;
  /** Absent when it committed VALID. */
  readonly code?: string;
  readonly message?: string;
}

export interface LoadOptions {
  /** Attempts started per second (both platforms together). */
  readonly ratePerSecond: number;
  /** No more in flight at once; a tick that finds this many skips its attempt. */
  readonly maxInFlight: number;
}

export const DEFAULT_LOAD: LoadOptions = { ratePerSecond: 6, maxInFlight: 24 };

interface User {
  readonly userId: string;
  readonly platform: Platform;
  readonly key: KeyObject;
}

const SELLERS = 8;
const BUYERS_PER_PLATFORM = 6;
const UNITS_PER_SELLER = 100_000;
const PRICE = 100;

/** What a committed transaction returned, as JSON. */
interface Returned {
  readonly userId?: string;
  readonly assetId?: string;
  readonly listingId?: string;
}

function validationCodeName(code: number): string {
  const entry = Object.entries(peer.TxValidationCode).find(([, value]) => value === code);
  return entry?.[0] ?? `INVALID_${String(code)}`;
}

/**
 * A read gone stale: at commit (MVCC, phantom), or already at endorsement when
 * the two endorsing peers simulated on either side of a block. Expected under
 * concurrent buys; the load does not retry them.
 */
export const CONFLICT = /MVCC_READ_CONFLICT|PHANTOM_READ_CONFLICT|ProposalResponsePayloads do not match/;

/** Endorse, submit and wait for the commit; the transaction ID and the result, or the failure's code. */
async function submitTracked(
  connection: Connection,
  name: string,
  options: ProposalOptions,
): Promise<{ txId?: string; result?: Returned; code?: string; message?: string }> {
  const [contract = '', tx = ''] = name.split(':');
  let txId: string | undefined;
  try {
    const submitted = await connection.contract(contract).submitAsync(tx, options);
    txId = submitted.getTransactionId();
    const status = await submitted.getStatus();
    if (!status.successful) {
      return {
        txId,
        code: validationCodeName(status.code),
        message: `committed invalid (code ${String(status.code)})`,
      };
    }
    const bytes = submitted.getResult();
    return { txId, result: (bytes.length === 0 ? {} : JSON.parse(utf8.decode(bytes))) as Returned };
  } catch (error) {
    const failure = toCrowdLedgerError(error);
    return { ...(txId === undefined ? {} : { txId }), code: failure.code, message: failure.message };
  }
}

/** Submits again, with a freshly signed request, while the last attempt was a read conflict (at most 20 times). */
async function submitUntilNoConflict(
  connection: Connection,
  name: string,
  options: () => ProposalOptions,
): Promise<Awaited<ReturnType<typeof submitTracked>>> {
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await submitTracked(connection, name, options());
    if (
      outcome.result !== undefined ||
      attempt >= 20 ||
      !CONFLICT.test(`${outcome.code ?? ''} ${outcome.message ?? ''}`)
    ) {
      return outcome;
    }
    await sleep(100 + Math.random() * 400);
  }
}

async function mustSubmit(connection: Connection, name: string, args: string[]): Promise<Returned> {
  const outcome = await submitUntilNoConflict(connection, name, () => ({ arguments: args }));
  if (outcome.result === undefined) {
    throw new Error(
      `${name} failed while preparing the load: ${outcome.code ?? ''} ${outcome.message ?? ''}`,
    );
  }
  return outcome.result;
}

/** A new user of the platform with a registered transaction key. */
async function registerUser(connection: Connection, platform: Platform, ref: string): Promise<User> {
  const person = {
    platformRef: ref,
    name: `负载${ref}`,
    idType: 'PASSPORT',
    idNumber: `E${randomBytes(4).toString('hex').toUpperCase()}`,
  } as const;
  const options = await registration(platform, person);
  const user = await submitUntilNoConflict(connection, 'users:Register', () => options);
  const userId = user.result?.userId;
  if (userId === undefined) {
    throw new Error(`registering ${ref} failed: ${user.code ?? ''} ${user.message ?? ''}`);
  }
  const key = newUserKey().privateKey;
  const params = { publicKey: publicKeyArgument(key), algorithm: 'ES256' };
  await mustSubmit(connection, 'keys:Register', signedArguments('keys:Register', userId, params, key));
  return { userId, platform, key };
}

export class LoadLoop {
  readonly outcomes: Outcome[] = [];
  readonly #connections: ReadonlyMap<Platform, Connection>;
  readonly #buyers: readonly User[];
  readonly #listings: readonly string[];
  readonly #asset: TrackedAsset;
  readonly #run: string;
  #options: LoadOptions = DEFAULT_LOAD;
  #inFlight = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #count = 0;
  #buys = 0;

  private constructor(
    connections: ReadonlyMap<Platform, Connection>,
    prepared: { buyers: User[]; listings: string[]; assetId: string },
    run: string,
  ) {
    this.#connections = connections;
    this.#buyers = prepared.buyers;
    this.#listings = prepared.listings;
    this.#asset = { assetId: prepared.assetId, listingIds: prepared.listings };
    this.#run = run;
  }

  /** Registers sellers, buyers and their keys, one asset and one listing per seller. */
  static async prepare(): Promise<LoadLoop> {
    const connections = new Map<Platform, Connection>([
      ['platform1', await connectAs('platform1')],
      ['platform2', await connectAs('platform2')],
    ]);
    const run = uniqueSuffix();
    const connection = (p: Platform): Connection => at(connections, p);
    const newUser = (platform: Platform, label: string): Promise<User> =>
      registerUser(connection(platform), platform, `${label}-${run}`);
    const sellers: User[] = [];
    for (let i = 0; i < SELLERS; i += 1) {
      sellers.push(await newUser('platform1', `seller${String(i)}`));
    }
    const buyers: User[] = [];
    for (let i = 0; i < BUYERS_PER_PLATFORM; i += 1) {
      buyers.push(
        await newUser('platform1', `buyer1-${String(i)}`),
        await newUser('platform2', `buyer2-${String(i)}`),
      );
    }
    const asset = await mustSubmit(connection('platform1'), 'assets:Register', [assetJson(run, sellers)]);
    const assetId = asset.assetId ?? '';
    const listings: string[] = [];
    for (const seller of sellers) {
      const params = {
        assetId,
        units: UNITS_PER_SELLER,
        pricePerUnit: PRICE,
        minPerBuyer: 1,
        maxPerBuyer: UNITS_PER_SELLER,
        expiresAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      };
      const listing = await mustSubmit(
        connection('platform1'),
        'listings:Create',
        signedArguments('listings:Create', seller.userId, params, seller.key),
      );
      listings.push(listing.listingId ?? '');
    }
    return new LoadLoop(connections, { buyers, listings, assetId }, run);
  }

  /** The asset the load trades, with every listing on it, for the invariant checks. */
  get asset(): TrackedAsset {
    return this.#asset;
  }

  /**
   * New users of the platform who each buy one unit, so each is due an asset
   * certificate; returns their user IDs and the buys' transaction IDs.
   */
  async newHolders(platform: Platform, count: number): Promise<{ userIds: string[]; txIds: string[] }> {
    const userIds: string[] = [];
    const txIds: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const connection = at(this.#connections, platform);
      const user = await registerUser(connection, platform, `holder-${this.#run}-${platform}-${String(i)}`);
      const params = { listingId: pick(this.#listings, i), units: 1, pricePerUnit: PRICE };
      const bought = await submitUntilNoConflict(connection, 'trades:Buy', () => ({
        arguments: signedArguments('trades:Buy', user.userId, params, user.key),
      }));
      if (bought.result === undefined || bought.txId === undefined) {
        throw new Error(`${user.userId} could not buy: ${bought.code ?? ''} ${bought.message ?? ''}`);
      }
      userIds.push(user.userId);
      txIds.push(bought.txId);
    }
    return { userIds, txIds };
  }

  /** Transaction IDs of everything that committed VALID so far. */
  committedTxIds(): string[] {
    return this.outcomes.flatMap((o) => (o.code === undefined && o.txId !== undefined ? [o.txId] : []));
  }

  start(options: LoadOptions = DEFAULT_LOAD): void {
    if (this.#running) {
      return;
    }
    this.#options = options;
    this.#running = true;
    this.#loop = this.#tick();
  }

  /** Stops starting attempts and waits for those in flight. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await Promise.all(this.#inFlight);
  }

  close(): void {
    for (const connection of this.#connections.values()) {
      connection.close();
    }
  }

  async #tick(): Promise<void> {
    const every = 1000 / this.#options.ratePerSecond;
    let next = Date.now();
    while (this.#running) {
      if (this.#inFlight.size < this.#options.maxInFlight) {
        const attempt = this.#attempt().finally(() => this.#inFlight.delete(attempt));
        this.#inFlight.add(attempt);
      }
      next += every;
      await sleep(Math.max(0, next - Date.now()));
    }
  }

  async #attempt(): Promise<void> {
    this.#count += 1;
    const n = this.#count;
    const platform: Platform = n % 2 === 0 ? 'platform1' : 'platform2';
    const startedAt = Date.now();
    const kind: LoadKind = n % 3 === 0 ? 'register' : 'buy';
    const outcome = kind === 'register' ? await this.#register(platform, n) : await this.#buy();
    this.outcomes.push({
      kind,
      platform: outcome.platform ?? platform,
      startedAt,
      ms: Date.now() - startedAt,
      ...outcome.fields,
    });
  }

  async #register(platform: Platform, n: number): Promise<{ platform?: Platform; fields: Partial<Outcome> }> {
    const person = {
      platformRef: `load-${this.#run}-${String(n)}`,
      name: `负载用户${String(n)}`,
      idType: 'PASSPORT',
      idNumber: `E${randomBytes(4).toString('hex').toUpperCase()}`,
    } as const;
    const connection = at(this.#connections, platform);
    return {
      fields: outcomeFields(
        await submitTracked(connection, 'users:Register', await registration(platform, person)),
      ),
    };
  }

  async #buy(): Promise<{ platform: Platform; fields: Partial<Outcome> }> {
    // Round robin over buyers and listings alike: a listing's next buy comes
    // two seconds after its last at the default rate, past its commit, so the
    // conflicts left are those of a lagging endorser.
    this.#buys += 1;
    const buyer = pick(this.#buyers, this.#buys);
    const listingId = pick(this.#listings, this.#buys);
    const action: SignedAction = 'trades:Buy';
    const args = signedArguments(
      action,
      buyer.userId,
      { listingId, units: 1, pricePerUnit: PRICE },
      buyer.key,
    );
    const connection = at(this.#connections, buyer.platform);
    return {
      platform: buyer.platform,
      fields: outcomeFields(await submitTracked(connection, action, { arguments: args })),
    };
  }
}

/** The platform's connection; every platform gets one before the loop starts. */
function at(connections: ReadonlyMap<Platform, Connection>, platform: Platform): Connection {
  const connection = connections.get(platform);
  if (connection === undefined) {
    throw new Error(`load: no connection for ${platform}`);
  }
  return connection;
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) {
    throw new Error('load: picked from an empty list');
  }
  return item;
}

function outcomeFields(result: { txId?: string; code?: string; message?: string }): Partial<Outcome> {
  return {
    ...(result.txId === undefined ? {} : { txId: result.txId }),
    ...(result.code === undefined ? {} : { code: result.code }),
    ...(result.message === undefined ? {} : { message: result.message }),
  };
}

function assetJson(run: string, sellers: readonly User[]): string {
  const holders = sellers.map((s) => ({ userId: s.userId, units: UNITS_PER_SELLER }));
  return JSON.stringify(
    fundAsset(`load-fund-${run}`, holders, {
      name: '负载测试基金',
      description: 'fault tests under load',
      category: 'EQUITY',
    }),
  );
}

/** Outcomes started in [from, to): how many, committed, failed by code, latency percentiles. */
export interface LoadSummary {
  readonly attempts: number;
  readonly committed: number;
  /** Read conflicts (see {@link CONFLICT}): expected, not retried. */
  readonly conflicts: number;
  /** Every other failure, by code. */
  readonly failures: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Longest time with no commit among the attempts, from the first attempt's start to the last's end. */
  readonly longestGapMs: number;
}

export function isConflict(outcome: Outcome): boolean {
  return CONFLICT.test(`${outcome.code ?? ''} ${outcome.message ?? ''}`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}

export function summarise(
  outcomes: readonly Outcome[],
  from = 0,
  to = Number.POSITIVE_INFINITY,
): LoadSummary {
  const window = outcomes.filter((o) => o.startedAt >= from && o.startedAt < to);
  const failures: Record<string, number> = {};
  let conflicts = 0;
  for (const o of window) {
    if (o.code !== undefined && isConflict(o)) {
      conflicts += 1;
    } else if (o.code !== undefined) {
      failures[o.code] = (failures[o.code] ?? 0) + 1;
    }
  }
  const ok = window.filter((o) => o.code === undefined);
  const latencies = ok.map((o) => o.ms).sort((a, b) => a - b);
  return {
    attempts: window.length,
    committed: ok.length,
    conflicts,
    failures,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    longestGapMs: longestGap(window),
  };
}

function longestGap(window: readonly Outcome[]): number {
  if (window.length === 0) {
    return 0;
  }
  const commits = window
    .filter((o) => o.code === undefined)
    .map((o) => o.startedAt + o.ms)
    .sort((a, b) => a - b);
  const start = Math.min(...window.map((o) => o.startedAt));
  const end = Math.max(...window.map((o) => o.startedAt + o.ms));
  let gap = 0;
  let last = start;
  for (const at of [...commits, end]) {
    gap = Math.max(gap, at - last);
    last = Math.max(last, at);
  }
  return gap;
}

/** Waits the given seconds while the load runs. */
export function hold(seconds: number): Promise<void> {
  return sleep(seconds * 1000);
}
