import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import {
  type AssetInput,
  type ConsentOptions,
  connect,
  type Connection,
  consentSigner,
  CrowdLedger,
  type CrowdLedgerClient,
} from '@crowdledger/client';
import type { Contract } from '@hyperledger/fabric-gateway';
import type { BenchConfig } from './config';
import { inParallel, withAttempts } from './drive';

/** The baseline chaincode's name on the channel (bench/chaincode). */
export const BASELINE_CHAINCODE = 'baseline';

/** Calls made while setting up run this many at once. */
const SETUP_CONCURRENCY = 16;

/** A user with a transaction key, ready to sign. */
export interface KeyedUser {
  readonly userId: string;
  readonly consent: ConsentOptions;
}

/**
 * The connections every workload shares (one gateway per platform, reused
 * by every operation) and the fixtures they build once.
 */
export class World {
  readonly home: string;
  readonly config: BenchConfig;
  readonly platform1: CrowdLedgerClient;
  readonly platform2: CrowdLedgerClient;
  /** The baseline chaincode's contract, through Platform2's application identity. */
  readonly baseline: Contract;
  readonly run = Date.now().toString(36);
  readonly #raw: Connection;
  readonly #fixtures = new Map<string, Promise<unknown>>();
  #people = 0;

  private constructor(
    home: string,
    config: BenchConfig,
    clients: readonly [CrowdLedgerClient, CrowdLedgerClient],
    raw: Connection,
  ) {
    this.home = home;
    this.config = config;
    [this.platform1, this.platform2] = clients;
    this.#raw = raw;
    this.baseline = raw.network.getContract(BASELINE_CHAINCODE, BASELINE_CHAINCODE);
  }

  /** Connects as both platforms' applications, with the SDK's retry off (the bench retries, and counts). */
  static async open(home: string, config: BenchConfig): Promise<World> {
    const profile = (org: string): string => profilePath(home, org);
    const client = (org: string): Promise<CrowdLedgerClient> =>
      CrowdLedger.connect({ profile: profile(org), identity: 'app', retry: { attempts: 1 } });
    const clients = [await client('platform1'), await client('platform2')] as const;
    const raw = await connect({ profilePath: profile('platform2'), identity: 'app' });
    return new World(home, config, clients, raw);
  }

  /** An organisation's connection profile in the bench network, for a workload that connects on its own. */
  profilePath(org: string): string {
    return profilePath(this.home, org);
  }

  close(): void {
    this.platform1.close();
    this.platform2.close();
    this.#raw.close();
  }

  /** Builds a fixture once per run, whichever workload asks first. */
  fixture<T>(key: string, make: () => Promise<T>): Promise<T> {
    let made = this.#fixtures.get(key) as Promise<T> | undefined;
    if (made === undefined) {
      made = make();
      this.#fixtures.set(key, made);
    }
    return made;
  }

  /** A unique reference for anything the bench registers. */
  reference(label: string): string {
    this.#people += 1;
    return `bench-${label}-${this.run}-${String(this.#people)}`;
  }

  /** Registers a new user on a platform (personal data made up, in the transient map as always). */
  async user(client: CrowdLedgerClient, label: string): Promise<string> {
    const platformRef = this.reference(label);
    const idNumber = `E${String(10_000_000 + this.#people)}`;
    const user = await setup(() =>
      client.users.register({ platformRef, name: `压测 ${platformRef}`, idType: 'PASSPORT', idNumber }),
    );
    return user.userId;
  }

  /** `count` new users of a platform, registered a few at a time. */
  users(client: CrowdLedgerClient, label: string, count: number): Promise<string[]> {
    return inParallel(Array.from({ length: count }), SETUP_CONCURRENCY, () => this.user(client, label));
  }

  /** Gives each user a fresh P-256 transaction key (registered by their platform, proved by the key). */
  keyed(client: CrowdLedgerClient, userIds: readonly string[]): Promise<KeyedUser[]> {
    return inParallel(userIds, SETUP_CONCURRENCY, async (userId) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const signer = consentSigner(privateKey);
      await setup(() => client.keys.register(userId, publicKey, signer));
      return { userId, consent: { signer } };
    });
  }

  /** Platform1 registers an asset with these holdings. */
  async asset(holders: AssetInput['holders'], label: string): Promise<string> {
    const input = fundInput(this.reference(label), '压测基金', holders);
    return (await setup(() => this.platform1.assets.register(input))).assetId;
  }
}

function profilePath(home: string, org: string): string {
  return join(home, 'profiles', `${org}.json`);
}

/** A setup call, retried on read conflicts like any SDK call; a failure stops the bench. */
export async function setup<T>(call: () => Promise<T>): Promise<T> {
  const values: T[] = [];
  const outcome = await withAttempts(async () => {
    values.push(await call());
  });
  const [value] = values;
  if (outcome.code !== undefined || value === undefined) {
    throw outcome.error;
  }
  return value;
}

/** A plain fund (no voting, no dividend) held as given: every bench asset has this shape. */
export function fundInput(assetRef: string, name: string, holders: AssetInput['holders']): AssetInput {
  return {
    assetRef,
    attributes: { name, category: 'FUND', description: 'bench', currency: 'CNY', documents: [] },
    rights: {
      voting: { enabled: false, votesPerUnit: 0 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: holders.reduce((sum, h) => sum + h.units, 0),
    holders,
  };
}
