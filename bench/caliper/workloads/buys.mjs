// Caliper round: the bench's independent buys (bench/src/workloads/trading.ts),
// trades.buy of 1 unit signed by the buyer's transaction key, each one on a
// seller, listing and buyer no other buy in flight uses. The fixtures are the
// bench's own (bench/dist/fixtures.js, built through the SDK); Caliper's
// connector submits the transaction, with the consent built as the SDK builds
// it (client/src/consent.ts): the request's canonical text and its ES256
// signature are the transaction's two arguments.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { WorkloadModuleBase } from '@hyperledger/caliper-core';

const repoRequire = createRequire(fileURLToPath(new URL('../../../package.json', import.meta.url)));
const { consentBytes, consentText, toBase64url } = repoRequire('@crowdledger/protocol');
const { PRICE } = repoRequire('./bench/dist/fixtures.js');
/**
 * Slots beyond the round's load. Caliper's fixed-load lets one more
 * transaction through whenever the backlog is exactly at its target (it
 * sleeps 0 ms), so a worker needs a few more slots than `slots` to follow
 * the controller as the baseline round does.
 */
const SPARE_SLOTS = 4;
/** How long a signed request stays valid: the SDK's default (DEFAULT_CONSENT_LIFETIME_MS). */
const CONSENT_LIFETIME_MS = 5 * 60_000;

/** @typedef {{listingId: string, buyer: {userId: string, consent: {signer: (b: Uint8Array) => Uint8Array}}}} Slot */

/** Slots built once per worker process and shared by every buy round that needs no more. */
let built = Promise.resolve(/** @type {readonly Slot[]} */ ([]));

/** At least `count` slots, built by the bench's own fixture code through the SDK. */
function slotsFor(/** @type {number} */ count) {
  built = built.then(async (have) => {
    if (have.length >= count) {
      return have;
    }
    const { World } = repoRequire('./bench/dist/world.js');
    const { tradingSlots } = repoRequire('./bench/dist/fixtures.js');
    const { benchConfig } = repoRequire('./bench/dist/config.js');
    const config = { ...benchConfig('default'), levels: [count], investors: 0 };
    const world = await World.open(process.env.CROWDLEDGER_HOME, config);
    try {
      return await tradingSlots(world);
    } finally {
      world.close();
    }
  });
  return built;
}

class IndependentBuys extends WorkloadModuleBase {
  /** @type {Slot[]} */
  #free = [];
  #chaincode = '';

  /**
   * Caliper's arguments: workerIndex, totalWorkers, roundIndex, roundArguments
   * ({slots, build}), sutAdapter, sutContext.
   */
  async initializeWorkloadModule(/** @type {unknown[]} */ ...args) {
    await super.initializeWorkloadModule(...args);
    const [, totalWorkers, , roundArguments] = args;
    // fixed-load aims at slots ÷ workers in flight in each worker; `build`
    // (the most any round needs) makes the first round build them all.
    const count = Math.ceil(Number(roundArguments.slots) / totalWorkers) + SPARE_SLOTS;
    const build =
      Math.ceil(Number(roundArguments.build ?? roundArguments.slots) / totalWorkers) + SPARE_SLOTS;
    this.#free = (await slotsFor(Math.max(count, build))).slice(0, count);
    const profile = join(String(process.env.CROWDLEDGER_HOME), 'profiles', 'platform2.json');
    this.#chaincode = JSON.parse(readFileSync(profile, 'utf8')).chaincode;
  }

  async submitTransaction() {
    // Never wait for a slot: Caliper does not await this call, and a call
    // that waited would count as neither submitted nor in flight, so the
    // controller would keep issuing more (the first run queued 12,544 that
    // way and ran on for 9 minutes). None free means nothing is sent.
    const slot = this.#free.pop();
    if (slot === undefined) {
      return undefined;
    }
    try {
      const request = {
        action: 'trades:Buy',
        params: { listingId: slot.listingId, units: 1, pricePerUnit: PRICE },
        userId: slot.buyer.userId,
        requestId: randomUUID(),
        expiresAt: new Date(Date.now() + CONSENT_LIFETIME_MS).toISOString(),
      };
      const signature = await slot.buyer.consent.signer(consentBytes(request));
      return await this.sutAdapter.sendRequests({
        contractId: this.#chaincode,
        contractFunction: 'trades:Buy',
        contractArguments: [consentText(request), toBase64url(signature)],
        invokerIdentity: 'app',
        readOnly: false,
      });
    } finally {
      this.#free.push(slot);
    }
  }
}

export function createWorkloadModule() {
  return new IndependentBuys();
}
