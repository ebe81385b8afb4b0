import type { CommitmentResult } from '../model/commitment-result';
import type { Listing } from '../model/listing';
import { tradeIdFor } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  act,
  type ActOptions,
  campaignInput,
  commit as commitTo,
  createCampaign,
  createListing,
  DAY,
  HOUR,
  holding,
  json,
  key,
  storedListing,
  WINDOW,
} from '../testing/trading';
import {
  ALICE,
  BOB,
  CAROL,
  contracts,
  FUND,
  HOLDER_CERTS,
  KEYS,
  P2,
  type Who,
  World,
} from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

async function trading(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

async function create(
  world: World,
  overrides: Record<string, unknown> = {},
  options: ActOptions = {},
): Promise<Listing> {
  return createCampaign(world, campaignInput(world.stub, overrides), options);
}

/** Alice's campaign: 20 units, target 12, 2 to 15 per investor, deadline in 10 days. */
async function campaign(world: World, overrides: Record<string, unknown> = {}): Promise<string> {
  return (await create(world, overrides)).listingId;
}

async function commit(
  world: World,
  listingId: string,
  buyerId: string,
  units: number,
  options: ActOptions = {},
): Promise<CommitmentResult> {
  return commitTo(world, listingId, buyerId, units, options);
}

async function withdraw(
  world: World,
  listingId: string,
  buyerId: string,
  options: ActOptions = {},
): Promise<CommitmentResult> {
  return act(world, 'campaigns:Withdraw', buyerId, { listingId }, options);
}

async function settleAfterDeadline(
  world: World,
  listingId: string,
  who: Who = 'platform2',
): Promise<unknown> {
  world.nextTx(10 * DAY + WINDOW);
  return contracts.campaigns.Settle(world.as(who), listingId);
}

describe('CampaignsContract.Create', () => {
  it('stores a CAMPAIGN listing with its target and escrows every unit offered', async () => {
    const world = await trading();
    const input = campaignInput(world.stub);
    const result = await createCampaign(world, input);
    expect(result).toMatchObject({
      kind: 'CAMPAIGN',
      units: 20,
      remaining: 20,
      targetUnits: 12,
      investors: 0,
      minPerBuyer: 2,
      maxPerBuyer: 15,
      expiresAt: input['deadline'],
      status: 'OPEN',
    });
    const { listingId } = result;
    expect(world.stub.events.at(-1)?.name).toBe('ListingCreated');
    expect(json(world.stub.events.at(-1)?.payload)).toEqual(storedListing(world.stub, listingId));
    expect(world.stub.state.has(key('openListing', listingId))).toBe(true);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 20 });
  });

  it.each([
    [
      'a target above the units',
      { targetUnits: 21 },
      'INVALID_ARGUMENT: params.targetUnits must be at most params.units',
    ],
    [
      'a past deadline',
      { deadline: '2020-01-01T00:00:00.000Z' },
      'INVALID_ARGUMENT: params.deadline must be after',
    ],
    ['min above max', { minPerInvestor: 9, maxPerInvestor: 3 }, 'INVALID_ARGUMENT: params.minPerInvestor'],
    [
      'listing field names',
      { minPerBuyer: 1 },
      'CONSENT_MALFORMED: the signed request cannot be read: params of campaigns:Create must be an object of exactly',
    ],
  ])('refuses %s', async (_case, overrides, message) => {
    const world = await trading();
    await expect(create(world, overrides)).rejects.toThrow(message);
  });

  it("refuses a campaign not signed by the seller's key, escrowing nothing", async () => {
    const world = await trading();
    await expect(create(world, {}, { key: KEYS.bob })).rejects.toThrow(/^CONSENT_SIGNATURE_INVALID: /);
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 0 });
  });
});

describe('CampaignsContract.Commit', () => {
  it('reserves units in one commitment per investor without moving any', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    const events = world.stub.events.length;
    const first = await commit(world, listingId, CAROL, 5);
    const commitment = {
      listingId,
      buyerId: CAROL,
      buyerPlatform: P2,
      units: 5,
      committedAt: new Date(world.stub.txSeconds * 1000).toISOString(),
      txId: world.stub.txId,
    };
    const before = storedListing(world.stub, listingId);
    expect(first).toMatchObject({ commitment, listing: { remaining: 20, investors: 0 } });
    expect(json(world.stub.state.get(key('commitment', listingId, CAROL)))).toEqual(commitment);
    expect(world.stub.events.slice(events).map((e) => [e.name, json(e.payload)])).toEqual([
      ['CommitmentMade', { commitment, listing: before }],
    ]);
    await commit(world, listingId, CAROL, 3);
    // The campaign's record is never rewritten by a commitment: concurrent investors cannot conflict on it.
    expect(storedListing(world.stub, listingId)).toEqual(before);
    expect(json(world.stub.state.get(key('commitment', listingId, CAROL)))).toMatchObject({ units: 8 });
    expect(holding(world.stub, FUND, CAROL)).toBeUndefined();
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 60, escrowed: 20 });
  });

  it('holds each investor to the minimum and maximum over their whole commitment', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await expect(commit(world, listingId, BOB, 1)).rejects.toThrow(
      `LIMIT_EXCEEDED: ${BOB} may commit from 2 to 15 units to campaign ${listingId} in all; they have 0 and asked for 1`,
    );
    await commit(world, listingId, CAROL, 10);
    await expect(commit(world, listingId, CAROL, 6)).rejects.toThrow(
      `LIMIT_EXCEEDED: ${CAROL} may commit from 2 to 15 units to campaign ${listingId} in all; they have 10 and asked for 6`,
    );
    // 10 + 11 is more than the 20 offered: taken, and allocated at settlement.
    await expect(commit(world, listingId, BOB, 11)).resolves.toMatchObject({ commitment: { units: 11 } });
  });

  it('refuses the seller, another platform, a closed campaign and a FIXED listing', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await expect(commit(world, listingId, ALICE, 2)).rejects.toThrow('SELF_TRADE');
    await expect(commit(world, listingId, CAROL, 2, { as: 'platform1' })).rejects.toThrow(
      `FORBIDDEN: only ${P2} may act for ${CAROL}`,
    );
    const fixedId = (await createListing(world)).listingId;
    await expect(commit(world, fixedId, CAROL, 2)).rejects.toThrow(
      `INVALID_ARGUMENT: listing ${fixedId} is a FIXED listing: use trades:Buy`,
    );
    world.stub.txSeconds += 10 * DAY;
    await expect(commit(world, listingId, CAROL, 2)).rejects.toThrow(
      `CAMPAIGN_CLOSED: campaign ${listingId} closed for commitments at`,
    );
  });

  it("refuses another key and a price other than the campaign's, reserving nothing", async () => {
    const world = await trading();
    const listingId = await campaign(world);
    const writes = world.stub.writes.length;
    await expect(commit(world, listingId, CAROL, 5, { key: KEYS.alice })).rejects.toThrow(
      /^CONSENT_SIGNATURE_INVALID: /,
    );
    await expect(commitTo(world, listingId, CAROL, 5, { pricePerUnit: 9_000 })).rejects.toThrow(
      `CONSENT_TERMS_MISMATCH: request request-0006 of ${CAROL} was signed for pricePerUnit 9000, but campaign ${listingId} has pricePerUnit 10000`,
    );
    expect(world.stub.writes).toHaveLength(writes);
    expect(storedListing(world.stub, listingId)).toMatchObject({ remaining: 20, investors: 0 });
  });

  it('answers CanCommit like Commit, without a signature', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await expect(
      contracts.campaigns.CanCommit(world.as('platform2'), listingId, CAROL, '5'),
    ).resolves.toMatchObject({
      ok: true,
      sentence: expect.stringContaining('campaigns:Commit would succeed now') as unknown,
    });
    await expect(
      contracts.campaigns.CanCommit(world.as('platform2'), listingId, CAROL, '16'),
    ).resolves.toMatchObject({
      ok: false,
      code: 'LIMIT_EXCEEDED',
    });
  });
});

describe('CampaignsContract.Withdraw', () => {
  it('releases the whole commitment until 48 hours before the deadline', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await commit(world, listingId, CAROL, 5);
    const events = world.stub.events.length;
    const writes = world.stub.writes.length;
    const result = await withdraw(world, listingId, CAROL);
    expect(result).toMatchObject({
      commitment: { units: 5 },
      listing: { remaining: 20, investors: 0 },
    });
    expect(world.stub.writes.slice(writes).map((w) => w.key)).not.toContain(key('listing', listingId));
    expect(world.stub.state.has(key('commitment', listingId, CAROL))).toBe(false);
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['CommitmentWithdrawn']);
    await expect(withdraw(world, listingId, CAROL)).rejects.toThrow(
      `NOT_FOUND: ${CAROL} has no commitment to campaign ${listingId}`,
    );
    await commit(world, listingId, CAROL, 5);
    world.stub.txSeconds += 8 * DAY;
    await expect(withdraw(world, listingId, CAROL)).rejects.toThrow(
      `WITHDRAWAL_CLOSED: commitments to campaign ${listingId} can be withdrawn only until`,
    );
  });

  it('allows a withdrawal just before the cut-off (48 hours and the time window before the deadline), not at it', async () => {
    const world = await trading();
    const listingId = await campaign(world, {
      deadline: new Date((world.stub.txSeconds + 1 + 3 * DAY) * 1000).toISOString(),
    });
    await commit(world, listingId, CAROL, 5);
    world.stub.txSeconds += DAY - 4 - WINDOW;
    await expect(withdraw(world, listingId, CAROL)).resolves.toMatchObject({ commitment: { units: 5 } });
    await commit(world, listingId, CAROL, 5);
    const deadline = Date.parse(storedListing(world.stub, listingId).expiresAt) / 1000;
    world.stub.txSeconds = deadline - 48 * HOUR - WINDOW - 1;
    await expect(withdraw(world, listingId, CAROL)).rejects.toThrow('WITHDRAWAL_CLOSED');
  });

  it('refuses another key, and keeps the commitment', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await commit(world, listingId, CAROL, 5);
    await expect(withdraw(world, listingId, CAROL, { key: KEYS.stranger })).rejects.toThrow(
      'CONSENT_SIGNATURE_INVALID',
    );
    expect(world.stub.state.has(key('commitment', listingId, CAROL))).toBe(true);
  });
});

describe('CampaignsContract.Settle', () => {
  it('fails CAMPAIGN_OPEN before the deadline', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await expect(contracts.campaigns.Settle(world.as('admin'), listingId)).rejects.toThrow(
      `CAMPAIGN_OPEN: campaign ${listingId} has its deadline at`,
    );
  });

  it('turns every commitment into a trade when the target is met, releasing the unsold escrow', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await commit(world, listingId, CAROL, 8);
    await commit(world, listingId, BOB, 5);
    const events = world.stub.events.length;
    const settlement = await settleAfterDeadline(world, listingId);
    const [bobTrade, carolTrade] = [tradeIdFor(world.stub.txId, BOB), tradeIdFor(world.stub.txId, CAROL)];
    expect(settlement).toMatchObject({
      listing: { status: 'SUCCEEDED', remaining: 7, investors: 2, allocation: 'FIRST_COME' },
      releases: [],
      pending: 0,
      certificatesDue: [CAROL],
      sellerCertificateRevoked: false,
    });
    const trades = (
      settlement as {
        trades: { tradeId: string; buyerId: string; units: number; amount: number; via: string }[];
      }
    ).trades;
    expect(trades.map((t) => [t.tradeId, t.buyerId, t.units, t.amount, t.via]).sort()).toEqual(
      [
        [bobTrade, BOB, 5, 50_000, 'CAMPAIGN'],
        [carolTrade, CAROL, 8, 80_000, 'CAMPAIGN'],
      ].sort(),
    );
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 47, escrowed: 0 });
    expect(holding(world.stub, FUND, BOB)).toMatchObject({ units: 45 });
    expect(holding(world.stub, FUND, CAROL)).toMatchObject({ units: 8, escrowed: 0, certificate: 'DUE' });
    expect(json(world.stub.state.get(key('commitment', listingId, CAROL)))).toMatchObject({
      units: 8,
      allocatedUnits: 8,
      amount: 80_000,
      refund: 0,
    });
    expect(world.stub.state.has(key('openListing', listingId))).toBe(false);
    expect(world.stub.state.has(key('tradeByUser', CAROL, carolTrade))).toBe(true);
    expect(world.stub.events.slice(events).map((e) => e.name)).toEqual(['CampaignSettled']);
    expect(json(world.stub.events.at(-1)?.payload)).toMatchObject({
      listing: storedListing(world.stub, listingId),
      certificatesDue: [CAROL],
    });
    await expect(contracts.campaigns.Settle(world.as('admin'), listingId)).rejects.toThrow(
      `CAMPAIGN_CLOSED: campaign ${listingId} is already SUCCEEDED`,
    );
  });

  it('releases every commitment and the whole escrow when the target is missed', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    await commit(world, listingId, CAROL, 5);
    const settlement = await settleAfterDeadline(world, listingId, 'admin');
    expect(settlement).toMatchObject({
      listing: { status: 'FAILED', remaining: 20 },
      trades: [],
      releases: [{ buyerId: CAROL, units: 5, allocatedUnits: 0, amount: 0, refund: 50_000 }],
      certificatesDue: [],
      sellerCertificateRevoked: false,
    });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 60, escrowed: 0 });
    expect(holding(world.stub, FUND, CAROL)).toBeUndefined();
    expect(json(world.stub.state.get(key('commitment', listingId, CAROL)))).toMatchObject({
      allocatedUnits: 0,
    });
  });

  it.each([
    ['FIRST_COME', 15, 5],
    ['PRO_RATA', 11, 9],
  ] as const)(
    'allocates an oversubscribed campaign %s (Carol %d, Bob %d), refunding the rest in fen',
    async (allocation, carol, bob) => {
      const world = await trading();
      const listingId = await campaign(world, { allocation });
      // 15 + 12 = 27 committed for 20 units; Carol first. Pro rata: 15 × 20 / 27 = 11.1, 12 × 20 / 27 = 8.9.
      await commit(world, listingId, CAROL, 15);
      await commit(world, listingId, BOB, 12);
      const settlement = (await settleAfterDeadline(world, listingId)) as {
        settled: { buyerId: string; units: number; allocatedUnits: number; amount: number; refund: number }[];
      };
      expect(settlement).toMatchObject({
        listing: { status: 'SUCCEEDED', remaining: 0, allocation },
        pending: 0,
      });
      const outcome = Object.fromEntries(settlement.settled.map((c) => [c.buyerId, c.allocatedUnits]));
      expect(outcome).toEqual({ [CAROL]: carol, [BOB]: bob });
      for (const c of settlement.settled) {
        expect([c.amount, c.refund]).toEqual([
          c.allocatedUnits * 10_000,
          (c.units - c.allocatedUnits) * 10_000,
        ]);
      }
      expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 40, escrowed: 0 });
      expect(holding(world.stub, FUND, CAROL)).toMatchObject({ units: carol });
      expect(holding(world.stub, FUND, BOB)).toMatchObject({ units: 40 + bob });
    },
  );

  it('refuses an allocation rule it does not know', async () => {
    const world = await trading();
    await expect(create(world, { allocation: 'LOTTERY' })).rejects.toThrow(
      'INVALID_ARGUMENT: params.allocation must be one of',
    );
  });

  it("revokes the seller's certificate when the campaign takes their last unit", async () => {
    const world = await trading();
    await world.recordCertificate('platform1', FUND, BOB, pki.holders['bob'] ?? '');
    const input = campaignInput(world.stub, {
      sellerId: BOB,
      units: 40,
      targetUnits: 40,
      minPerInvestor: 1,
      maxPerInvestor: 40,
    });
    const { listingId } = await createCampaign(world, input);
    await commit(world, listingId, CAROL, 30);
    await commit(world, listingId, ALICE, 10);
    const settlement = await settleAfterDeadline(world, listingId);
    expect(settlement).toMatchObject({ sellerCertificateRevoked: true, certificatesDue: [CAROL] });
    expect(holding(world.stub, FUND, BOB)).toBeUndefined();
    expect(world.stub.state.has(key('holdingByUser', BOB, FUND))).toBe(false);
    expect(json(world.stub.state.get(key('certificate', FUND, BOB)))).toMatchObject({
      status: 'REVOKED',
      revocationReason: 'transferred',
    });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ units: 70 });
  });

  it('refuses auditors and FIXED listings', async () => {
    const world = await trading();
    const listingId = await campaign(world);
    world.nextTx(11 * DAY);
    await expect(contracts.campaigns.Settle(world.as('auditor'), listingId)).rejects.toThrow('FORBIDDEN');
    const fixed = await createListing(world);
    await expect(contracts.campaigns.Settle(world.as('admin'), fixed.listingId)).rejects.toThrow(
      'INVALID_ARGUMENT',
    );
  });
});

describe('campaigns and the listings contract', () => {
  it('cancels a campaign without commitments, and not one with commitments', async () => {
    const world = await trading();
    const empty = await campaign(world);
    const busy = await campaign(world);
    await commit(world, busy, CAROL, 5);
    await expect(act(world, 'listings:Cancel', ALICE, { listingId: busy })).rejects.toThrow(
      `CAMPAIGN_OPEN: campaign ${busy} has commitments; it ends with campaigns:Settle after`,
    );
    await expect(act(world, 'listings:Cancel', ALICE, { listingId: empty })).resolves.toMatchObject({
      status: 'CANCELLED',
    });
    expect(holding(world.stub, FUND, ALICE)).toMatchObject({ escrowed: 20 });
    await expect(commit(world, empty, BOB, 2)).rejects.toThrow(
      `CAMPAIGN_CLOSED: campaign ${empty} is CANCELLED`,
    );
    world.nextTx(11 * DAY);
    await expect(contracts.listings.Expire(world.as('admin'), busy)).rejects.toThrow(
      `INVALID_ARGUMENT: listing ${busy} is a CAMPAIGN listing: use campaigns:Commit, campaigns:Withdraw and campaigns:Settle`,
    );
    await expect(contracts.campaigns.Commitments(world.as('auditor'), busy)).resolves.toEqual([
      expect.objectContaining({ buyerId: CAROL, units: 5 }),
    ]);
  });
});
