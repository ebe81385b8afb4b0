// Throughput of signed purchases (R7) next to a one-write baseline, on the
// running network in $CROWDLEDGER_HOME. Build first, then:
//
//   node client/bench/consent-load.ts [operations per level] [levels…]
//   e.g. node client/bench/consent-load.ts 240 8 32
//
// Baseline: users.register, one independent write each. Buys: each slot in
// flight has its own seller, listing and buyer, so no two buys in flight
// touch a key in common; a slot's buys follow one another. Every buy carries
// the buyer's ES256-signed request, verified by every endorsing chaincode.
// Prints one JSON line per level and kind: transactions/s, latency
// percentiles, failures by code.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type ConsentOptions,
  consentSigner,
  CrowdLedger,
  type CrowdLedgerClient,
  toCrowdLedgerError,
} from '../dist/index.js';

interface Slot {
  readonly listingId: string;
  readonly buyerId: string;
  readonly buyer: ConsentOptions;
}

const home = process.env['CROWDLEDGER_HOME'] ?? '.crowdledger';
const profile = (org: string): string => join(home, 'profiles', `${org}.json`);
const run = Date.now().toString(36);
let people = 0;

function person(label: string): { platformRef: string; name: string; idType: 'PASSPORT'; idNumber: string } {
  people += 1;
  const ref = `bench-${label}-${run}-${String(people)}`;
  return {
    platformRef: ref,
    name: `压测 ${ref}`,
    idType: 'PASSPORT',
    idNumber: `E${String(10_000_000 + people)}`,
  };
}

async function newKeyFor(client: CrowdLedgerClient, userId: string): Promise<ConsentOptions> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = consentSigner(privateKey);
  await client.keys.register(userId, publicKey, signer);
  return { signer };
}

/** Runs `count` operations with at most `inFlight` at once; slot k runs operations k, k + inFlight, … in turn. */
async function drive(
  count: number,
  inFlight: number,
  operation: (slot: number) => Promise<unknown>,
): Promise<{ seconds: number; latencies: number[]; failures: Record<string, number> }> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, slot) => {
      while (next < count) {
        next += 1;
        const t0 = performance.now();
        try {
          await operation(slot);
          latencies.push(performance.now() - t0);
        } catch (error) {
          const code = toCrowdLedgerError(error).code;
          failures[code] = (failures[code] ?? 0) + 1;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, failures };
}

function percentile(sorted: readonly number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0);
}

function report(kind: string, inFlight: number, result: Awaited<ReturnType<typeof drive>>): void {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      kind,
      inFlight,
      committed: sorted.length,
      txPerSecond: Number((sorted.length / result.seconds).toFixed(1)),
      p50ms: percentile(sorted, 50),
      p95ms: percentile(sorted, 95),
      failures: result.failures,
    }),
  );
}

/** One seller with a listing and one buyer with a key per slot, all on one asset. */
async function slots(
  p1: CrowdLedgerClient,
  p2: CrowdLedgerClient,
  count: number,
  units: number,
): Promise<Slot[]> {
  const sellers = await Promise.all(
    Array.from({ length: count }, async () => (await p1.users.register(person('seller'))).userId),
  );
  const sellerKeys = await Promise.all(sellers.map((id) => newKeyFor(p1, id)));
  const { assetId } = await p1.assets.register({
    assetRef: `bench-${run}-${randomUUID()}`,
    attributes: { name: '压测基金', category: 'FUND', description: 'load', currency: 'CNY', documents: [] },
    rights: {
      voting: { enabled: false, votesPerUnit: 0 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: count * units,
    holders: sellers.map((userId) => ({ userId, units })),
  });
  return Promise.all(
    sellers.map(async (sellerId, i) => {
      const terms = { assetId, sellerId, units, pricePerUnit: 100, minPerBuyer: 1, maxPerBuyer: units };
      const expiresAt = new Date(Date.now() + 86_400_000);
      const seller = sellerKeys[i] ?? (await newKeyFor(p1, sellerId));
      const { listingId } = await p1.listings.create({ ...terms, expiresAt }, seller);
      const buyerId = (await p2.users.register(person('buyer'))).userId;
      return { listingId, buyerId, buyer: await newKeyFor(p2, buyerId) };
    }),
  );
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '240');
  const levels = process.argv.slice(3).map(Number);
  const p1 = await CrowdLedger.connect({ profile: profile('platform1'), identity: 'app' });
  const p2 = await CrowdLedger.connect({ profile: profile('platform2'), identity: 'app' });
  try {
    for (const inFlight of levels.length === 0 ? [8, 32] : levels) {
      report(
        'users.register',
        inFlight,
        await drive(count, inFlight, () => p2.users.register(person('base'))),
      );
      // Slots run at their own pace: room for three times their share.
      const perSlot = 3 * Math.ceil(count / inFlight);
      const ready = await slots(p1, p2, inFlight, perSlot);
      const buys = await drive(count, inFlight, (slot) => {
        const s = ready[slot];
        if (s === undefined) {
          throw new Error(`no slot ${String(slot)}`);
        }
        return p2.trades.buy(s.listingId, s.buyerId, 1, { ...s.buyer, pricePerUnit: 100 });
      });
      report('trades.buy (signed)', inFlight, buys);
    }
  } finally {
    p1.close();
    p2.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
