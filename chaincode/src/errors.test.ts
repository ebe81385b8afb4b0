/*
 * Every code in ERROR_CODES, raised by a real call. The scenarios are a
 * Record over ErrorCode, so adding a code without a way to reach it does not
 * compile.
 */
import { AuditContract } from './contracts/audit';
import { createPublicKey } from 'node:crypto';
import {
  assetIdFor,
  ERROR_CODES,
  type ErrorCode,
  listingIdFor,
  MAX_CERTIFICATE_BATCH,
  offerIdFor,
  publicKeyText,
} from '@crowdledger/protocol';
import { type ChaincodeError, isChaincodeError } from './values/errors';
import { makeTestPki, type TestPki } from './testing/pki';
import {
  accept,
  act,
  buy as buyFrom,
  campaignInput,
  commit as commitTo,
  createCampaign,
  createListing,
  createOffer,
  DAY,
  isoIn,
  listingInput,
  offerInput,
} from './testing/trading';
import {
  ALICE,
  assetInput,
  BOB,
  CAROL,
  contracts,
  DETAILS,
  FUND,
  HOLDER_CERTS,
  importRow,
  KEYS,
  P1,
  userIdOf,
  World,
} from './testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

async function registry(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

async function list(w: World, overrides: Record<string, unknown> = {}): Promise<string> {
  return (await createListing(w, listingInput(w.stub, overrides))).listingId;
}

async function campaign(w: World): Promise<string> {
  return (await createCampaign(w, campaignInput(w.stub))).listingId;
}

const commit = (w: World, listingId: string, units: number): Promise<unknown> =>
  commitTo(w, listingId, CAROL, units);

async function offer(w: World): Promise<string> {
  return (await createOffer(w, offerInput(w.stub, { expiresAt: isoIn(w.stub, DAY) }))).offerId;
}

const buy = (w: World, listingId: string, units: number, options = {}): Promise<unknown> =>
  buyFrom(w, listingId, CAROL, units, options);

const scenarios: Record<ErrorCode, (world: World) => Promise<unknown>> = {
  INVALID_ARGUMENT: (w) => contracts.users.Get(w.as('platform1'), 'not-an-id'),
  NOT_FOUND: (w) => contracts.certificates.Get(w.as('platform1'), FUND, ALICE),
  TRANSIENT_MISSING: (w) => {
    w.stub.transient = new Map();
    return contracts.users.Register(w.as('platform1'));
  },
  FORBIDDEN: (w) => contracts.users.GetPersonalData(w.as('platform2'), ALICE),
  CERTIFICATE_INVALID: (w) => w.recordCertificate('platform1', FUND, ALICE, pki.holders['aliceForged'] ?? ''),
  CERTIFICATE_REVOKED: async (w) => {
    await w.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    await contracts.certificates.Revoke(w.as('platform1'), FUND, ALICE, 'lost');
    return contracts.certificates.Revoke(w.as('platform1'), FUND, ALICE, 'lost');
  },
  CORRUPT_STATE: async (w) => {
    await w.stub.putState(`\u0000user\u0000${ALICE}\u0000`, Buffer.from('{'));
    return new AuditContract().History(w.as('auditor'), 'user', ALICE, '10', '');
  },
  UNKNOWN_TRANSACTION: (w) => contracts.users.unknownTransaction(w.as('platform1')),
  USER_EXISTS: (w) => w.registerUser('platform1', 'alice', DETAILS.alice),
  USER_NOT_FOUND: (w) => contracts.users.Portfolio(w.as('auditor'), userIdOf(P1, 'nobody')),
  ASSET_EXISTS: (w) => w.registerAsset('platform1', assetInput()),
  ASSET_NOT_FOUND: (w) => contracts.assets.Get(w.as('auditor'), assetIdFor(P1, 'nothing')),
  ASSET_IMPORTING: async (w) => {
    const asset = await w.beginImport('platform1');
    // alice is already platform1's user with these details: the import makes her a holder.
    await w.addImportBatch('platform1', asset.assetId, [importRow('alice', 100)]);
    return list(w, { assetId: asset.assetId, units: 10 });
  },
  ASSET_NOT_IMPORTING: (w) => contracts.imports.Finish(w.as('platform1'), FUND),
  IMPORT_INCOMPLETE: async (w) => {
    const asset = await w.beginImport('platform1');
    await w.addImportBatch('platform1', asset.assetId, [importRow('alice', 99)]);
    return contracts.imports.Finish(w.as('platform1'), asset.assetId);
  },
  UNITS_INVALID: (w) => w.registerAsset('platform1', assetInput({ assetRef: 'f', totalUnits: -100 })),
  UNITS_MISMATCH: (w) => w.registerAsset('platform1', assetInput({ assetRef: 'f', totalUnits: 101 })),
  NOT_HOLDER: (w) => w.recordCertificate('platform2', FUND, CAROL, pki.holders['carol'] ?? ''),
  INSUFFICIENT_UNITS: (w) => list(w, { units: 61 }),
  LISTING_NOT_FOUND: (w) => contracts.listings.Get(w.as('auditor'), listingIdFor('none')),
  LISTING_CLOSED: async (w) => {
    const listingId = await list(w, { expiresAt: isoIn(w.stub, DAY) });
    w.stub.txSeconds += DAY;
    return buy(w, listingId, 2);
  },
  LIMIT_EXCEEDED: async (w) => buy(w, await list(w, { maxPerBuyer: 3 }), 4),
  SELF_TRADE: async (w) => buyFrom(w, await list(w), ALICE, 2),
  CAMPAIGN_OPEN: async (w) => contracts.campaigns.Settle(w.as('admin'), await campaign(w)),
  CAMPAIGN_CLOSED: async (w) => {
    const listingId = await campaign(w);
    w.stub.txSeconds += 10 * DAY;
    return commit(w, listingId, 2);
  },
  WITHDRAWAL_CLOSED: async (w) => {
    const listingId = await campaign(w);
    await commit(w, listingId, 2);
    w.stub.txSeconds += 9 * DAY;
    return act(w, 'campaigns:Withdraw', CAROL, { listingId });
  },
  OFFER_NOT_FOUND: (w) => contracts.offers.Get(w.as('auditor'), offerIdFor('none')),
  OFFER_CLOSED: async (w) => {
    const offerId = await offer(w);
    w.stub.txSeconds += DAY;
    return accept(w, offerId, CAROL);
  },
  NOT_EXPIRED: async (w) => contracts.listings.Expire(w.as('admin'), await list(w)),
  TIME_RANGE_INVALID: (w) =>
    contracts.trades.ByTime(w.as('auditor'), '2025-02-01T00:00:00Z/2025-01-01T00:00:00Z', '10', ''),
  KEY_NOT_SET: async () => {
    const fresh = new World(pki);
    await fresh.populate();
    await fresh.registerKey('platform1', ALICE, KEYS.alice);
    return buyFrom(fresh, await list(fresh), BOB, 2);
  },
  KEY_INVALID: (w) => {
    const request = w.request('keys:Register', BOB, { publicKey: 'not-a-key', algorithm: 'ES256' });
    return contracts.keys.Register(w.as('platform1'), ...w.sign(request, KEYS.bob));
  },
  KEY_PROOF_INVALID: (w) => {
    const publicKey = publicKeyText(createPublicKey(KEYS.alice));
    const request = w.request('keys:Register', BOB, { publicKey, algorithm: 'ES256' });
    return contracts.keys.Register(w.as('platform1'), ...w.sign(request, KEYS.bob));
  },
  CONSENT_MALFORMED: async (w) => contracts.trades.Buy(w.as('platform2'), '{"units":2}', 'signature'),
  CONSENT_ACTION_MISMATCH: async (w) => {
    const listingId = await campaign(w);
    const request = w.request('trades:Buy', CAROL, { listingId, units: 2, pricePerUnit: 10_000 });
    return contracts.campaigns.Commit(w.as('platform2'), ...w.sign(request));
  },
  CONSENT_USER_MISMATCH: async (w) => act(w, 'listings:Cancel', BOB, { listingId: await list(w) }),
  CONSENT_TERMS_MISMATCH: async (w) => buy(w, await list(w), 2, { pricePerUnit: 1 }),
  CONSENT_EXPIRED: async (w) => buy(w, await list(w), 2, { overrides: { expiresAt: isoIn(w.stub, 20) } }),
  CONSENT_LIFETIME_EXCEEDED: async (w) =>
    buy(w, await list(w), 2, { overrides: { expiresAt: isoIn(w.stub, 2 * 60 * 60) } }),
  CONSENT_SIGNATURE_INVALID: async (w) => buy(w, await list(w), 2, { key: KEYS.stranger }),
  CONSENT_KEY_RETIRED: async (w) => {
    const listingId = await list(w);
    await w.registerKey('platform2', CAROL, KEYS.stranger);
    return buy(w, listingId, 2, { key: KEYS.carol });
  },
  CONSENT_REPLAYED: async (w) => {
    const listingId = await list(w);
    w.nextTx();
    const args = w.sign(w.request('trades:Buy', CAROL, { listingId, units: 2, pricePerUnit: 15_000 }));
    await contracts.trades.Buy(w.as('platform2'), ...args);
    return contracts.trades.Buy(w.as('platform2'), ...args);
  },
  CERTIFICATE_EXPIRED: async (w) => {
    await w.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    w.stub.txSeconds += 60 * DAY;
    return w.queryAsHolder('platform2', 'alice');
  },
  QUERY_REQUEST_INVALID: async (w) => {
    await w.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    return w.queryAsHolder('platform2', 'alice', { request: { assetId: assetIdFor(P1, 'other') } });
  },
  QUERY_REQUEST_STALE: async (w) => {
    await w.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    const requestedAt = new Date((w.stub.txSeconds - 600) * 1000).toISOString();
    return w.queryAsHolder('platform2', 'alice', { request: { requestedAt } });
  },
  QUERY_SIGNATURE_INVALID: async (w) => {
    await w.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    return w.queryAsHolder('platform2', 'alice', { signer: 'bob' });
  },
  HOLDING_PENDING: async (w) => {
    const holders = [
      { userId: ALICE, units: 60 },
      { userId: CAROL, units: 40 },
    ];
    const asset = await w.registerAsset('platform1', assetInput({ assetRef: 'fund-2', holders }));
    return w.recordCertificate('platform2', asset.assetId, CAROL, pki.holders['carol'] ?? '');
  },
  HOLDING_NOT_PENDING: (w) => contracts.assets.AcceptHolding(w.as('platform1'), FUND, ALICE),
  LAST_HOLDING: async (w) => {
    const holders = [{ userId: CAROL, units: 100 }];
    const asset = await w.registerAsset('platform1', assetInput({ assetRef: 'fund-2', holders }));
    return contracts.assets.DeclineHolding(w.as('platform2'), asset.assetId, CAROL);
  },
  BATCH_TOO_LARGE: (w) => {
    const holders = Array.from({ length: MAX_CERTIFICATE_BATCH + 1 }, () => ({
      assetId: FUND,
      holderId: ALICE,
    }));
    return w.recordBatch(
      'platform1',
      holders.map((h) => ({ ...h, pem: pki.holders['alice'] ?? '' })),
    );
  },
  REFERENCE_SECRET_MISMATCH: (w) =>
    w.registerUser('platform1', 'dave', DETAILS.alice, undefined, 'f'.repeat(64)),
};

describe.each([...ERROR_CODES])('%s', (code) => {
  it('is raised by a real call as "CODE: sentence"', async () => {
    const world = await registry();
    const error: unknown = await scenarios[code](world).then(
      () => new Error('the call succeeded'),
      (thrown: unknown) => thrown,
    );
    expect(isChaincodeError(error)).toBe(true);
    const coded = error as ChaincodeError;
    expect(coded.code).toBe(code);
    expect(coded.message).toBe(`${code}: ${coded.sentence}`);
    expect(coded.sentence.length).toBeGreaterThan(10);
  });
});
