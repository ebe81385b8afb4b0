/*
 * Every code in ERROR_CODES, raised by a real call. The scenarios are a
 * Record over ErrorCode, so adding a code without a way to reach it does not
 * compile.
 */
import { AuditContract } from './contracts/audit';
import {
  assetIdFor,
  ERROR_CODES,
  type ErrorCode,
  listingIdFor,
  offerIdFor,
  REFUSAL_CODES,
  type RefusalCode,
} from '@crowdledger/protocol';
import { type ChaincodeError, isChaincodeError } from './values/errors';
import { useKdfParameters } from './rules/transaction-keys';
import { makeTestPki, type TestPki } from './testing/pki';
import { campaignInput, DAY, isoIn, listingInput, offerInput } from './testing/trading';
import {
  ALICE,
  assetInput,
  BOB,
  CAROL,
  CHEAP_KDF,
  contracts,
  DETAILS,
  FUND,
  HOLDER_CERTS,
  KEYS,
  P1,
  userIdOf,
  World,
} from './testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
  useKdfParameters(CHEAP_KDF);
});

async function registry(): Promise<World> {
  const world = new World(pki);
  await world.trading();
  return world;
}

/** A call with a key in the transient map, as the acting platform. */
async function keyed<T>(w: World, presented: string, call: () => Promise<T>): Promise<T> {
  w.nextTx();
  w.useKey(presented);
  return call();
}

async function list(w: World, overrides: Record<string, unknown> = {}): Promise<string> {
  const input = JSON.stringify(listingInput(w.stub, overrides));
  const result = await keyed(w, KEYS.alice, () => contracts.listings.Create(w.as('platform1'), input));
  return result.listing?.listingId ?? '';
}

async function campaign(w: World): Promise<string> {
  const input = JSON.stringify(campaignInput(w.stub));
  const result = await keyed(w, KEYS.alice, () => contracts.campaigns.Create(w.as('platform1'), input));
  return result.listing?.listingId ?? '';
}

async function commit(w: World, listingId: string, units: string): Promise<unknown> {
  return keyed(w, KEYS.carol, () => contracts.campaigns.Commit(w.as('platform2'), listingId, CAROL, units));
}

async function offer(w: World): Promise<string> {
  const input = JSON.stringify(offerInput(w.stub, { expiresAt: isoIn(w.stub, DAY) }));
  const result = await keyed(w, KEYS.alice, () => contracts.offers.Create(w.as('platform1'), input));
  return result.offer?.offerId ?? '';
}

const buy = (w: World, listingId: string, units: string, presented: string = KEYS.carol): Promise<unknown> =>
  keyed(w, presented, () => contracts.trades.Buy(w.as('platform2'), listingId, CAROL, units));

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
    return new AuditContract().History(w.as('auditor'), 'user', ALICE);
  },
  UNKNOWN_TRANSACTION: (w) => contracts.users.unknownTransaction(w.as('platform1')),
  USER_EXISTS: (w) => w.registerUser('platform1', 'alice', DETAILS.alice),
  USER_NOT_FOUND: (w) => contracts.users.Portfolio(w.as('auditor'), userIdOf(P1, 'nobody')),
  ASSET_EXISTS: (w) => w.registerAsset('platform1', assetInput()),
  ASSET_NOT_FOUND: (w) => contracts.assets.Get(w.as('auditor'), assetIdFor(P1, 'nothing')),
  UNITS_INVALID: (w) => w.registerAsset('platform1', assetInput({ assetRef: 'f', totalUnits: -100 })),
  UNITS_MISMATCH: (w) => w.registerAsset('platform1', assetInput({ assetRef: 'f', totalUnits: 101 })),
  NOT_HOLDER: (w) => w.recordCertificate('platform2', FUND, CAROL, pki.holders['carol'] ?? ''),
  BAD_TRANSACTION_KEY: async (w) => buy(w, await list(w), '2', 'wrong-key'),
  LOCKED: async (w) => {
    const listingId = await list(w);
    for (let i = 0; i < 5; i += 1) {
      await buy(w, listingId, '2', 'wrong-key');
    }
    return buy(w, listingId, '2');
  },
  KEY_NOT_SET: async () => {
    const fresh = new World(pki);
    await fresh.populate();
    await fresh.setKey('platform1', ALICE, KEYS.alice);
    const listingId = await list(fresh);
    return keyed(fresh, 'any-key', () => contracts.trades.Buy(fresh.as('platform1'), listingId, BOB, '2'));
  },
  INSUFFICIENT_UNITS: (w) => list(w, { units: 61 }),
  LISTING_NOT_FOUND: (w) => contracts.listings.Get(w.as('auditor'), listingIdFor('none')),
  LISTING_CLOSED: async (w) => {
    const listingId = await list(w, { expiresAt: isoIn(w.stub, DAY) });
    w.stub.txSeconds += DAY;
    return buy(w, listingId, '2');
  },
  LIMIT_EXCEEDED: async (w) => buy(w, await list(w, { maxPerBuyer: 3 }), '4'),
  SELF_TRADE: async (w) => {
    const listingId = await list(w);
    return keyed(w, KEYS.alice, () => contracts.trades.Buy(w.as('platform1'), listingId, ALICE, '2'));
  },
  CAMPAIGN_OPEN: async (w) => contracts.campaigns.Settle(w.as('admin'), await campaign(w)),
  CAMPAIGN_CLOSED: async (w) => {
    const listingId = await campaign(w);
    w.stub.txSeconds += 10 * DAY;
    return commit(w, listingId, '2');
  },
  WITHDRAWAL_CLOSED: async (w) => {
    const listingId = await campaign(w);
    await commit(w, listingId, '2');
    w.stub.txSeconds += 9 * DAY;
    return keyed(w, KEYS.carol, () => contracts.campaigns.Withdraw(w.as('platform2'), listingId, CAROL));
  },
  OFFER_NOT_FOUND: (w) => contracts.offers.Get(w.as('auditor'), offerIdFor('none')),
  OFFER_CLOSED: async (w) => {
    const offerId = await offer(w);
    w.stub.txSeconds += DAY;
    return keyed(w, KEYS.carol, () => contracts.offers.Accept(w.as('platform2'), offerId));
  },
  NOT_EXPIRED: async (w) => contracts.listings.Expire(w.as('admin'), await list(w)),
  TIME_RANGE_INVALID: (w) =>
    contracts.trades.ByTime(w.as('auditor'), '2025-02-01T00:00:00Z/2025-01-01T00:00:00Z', '10', ''),
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
  REFERENCE_SECRET_MISMATCH: (w) =>
    w.registerUser('platform1', 'dave', DETAILS.alice, undefined, 'f'.repeat(64)),
};

function isRefusal(code: ErrorCode): code is RefusalCode {
  return REFUSAL_CODES.some((refusal) => refusal === code);
}

describe.each(REFUSAL_CODES)('%s', (code) => {
  it('is returned in a committed {outcome: "REFUSED", code, sentence} result, not thrown', async () => {
    const world = await registry();
    const result = await scenarios[code](world);
    expect(result).toEqual({ outcome: 'REFUSED', code, sentence: expect.any(String) as unknown });
    expect((result as { sentence: string }).sentence.length).toBeGreaterThan(10);
  });
});

describe.each(ERROR_CODES.filter((code) => !isRefusal(code)))('%s', (code) => {
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
