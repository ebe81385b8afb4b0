/*
 * Every code in ERROR_CODES, raised by a real call. The scenarios are a
 * Record over ErrorCode, so adding a code without a way to reach it does not
 * compile.
 */
import { AuditContract } from './contracts/audit';
import { SmokeContract } from './contracts/smoke';
import { type ChaincodeError, ERROR_CODES, type ErrorCode, isChaincodeError } from './errors';
import { assetIdFor, userIdFor } from './rules/ids';
import { makeTestPki, type TestPki } from './testing/pki';
import { ALICE, assetInput, CAROL, contracts, DETAILS, FUND, HOLDER_CERTS, P1, World } from './testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

async function registry(): Promise<World> {
  const world = new World(pki);
  await world.setAssetCa();
  await world.populate();
  return world;
}

const scenarios: Record<ErrorCode, (world: World) => Promise<unknown>> = {
  INVALID_ARGUMENT: (w) => contracts.users.Get(w.as('platform1'), 'not-an-id'),
  NOT_FOUND: (w) => contracts.certificates.Get(w.as('platform1'), FUND, ALICE),
  TRANSIENT_MISSING: (w) => {
    w.stub.transient = new Map();
    return contracts.users.Register(w.as('platform1'), 'dave');
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
  UNKNOWN_TRANSACTION: (w) => new SmokeContract().unknownTransaction(w.as('platform1')),
  USER_EXISTS: (w) => w.registerUser('platform1', 'alice', DETAILS.alice),
  USER_NOT_FOUND: (w) => contracts.users.Portfolio(w.as('auditor'), userIdFor(P1, 'nobody')),
  ASSET_EXISTS: (w) => w.registerAsset('platform1', assetInput()),
  ASSET_NOT_FOUND: (w) => contracts.assets.Get(w.as('auditor'), assetIdFor(P1, 'nothing')),
  UNITS_INVALID: (w) => w.registerAsset('platform1', assetInput({ assetRef: 'f', totalUnits: -100 })),
  UNITS_MISMATCH: (w) => w.registerAsset('platform1', assetInput({ assetRef: 'f', totalUnits: 101 })),
  NOT_HOLDER: (w) => w.recordCertificate('platform2', FUND, CAROL, pki.holders['carol'] ?? ''),
};

describe.each(ERROR_CODES)('%s', (code) => {
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
