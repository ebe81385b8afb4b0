import { KeyPrefix, MAX_CERTIFICATE_BATCH } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  ALICE,
  BOB,
  CAROL,
  contracts,
  FUND,
  HOLDER_CERTS,
  type HolderName,
  type Who,
  World,
} from '../testing/world';
import { isChaincodeError } from '../values/errors';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

const DAY = 24 * 60 * 60;
const certKey = (asset: string, holder: string): string =>
  `\u0000${KeyPrefix.certificate}\u0000${asset}\u0000${holder}\u0000`;
const holdingKey = (asset: string, holder: string): string =>
  `\u0000${KeyPrefix.holding}\u0000${asset}\u0000${holder}\u0000`;
const json = (bytes: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

function pem(name: HolderName): string {
  return pki.holders[name] ?? '';
}

function item(holderId: string, name: HolderName): { assetId: string; holderId: string; pem: string } {
  return { assetId: FUND, holderId, pem: pem(name) };
}

async function registry(): Promise<World> {
  const world = new World(pki);
  await world.setAssetCa();
  await world.populate();
  return world;
}

/** What the world wrote and emitted so far, to show a refused batch added nothing. */
function marks(world: World): { writes: number; events: number } {
  return { writes: world.stub.writes.length, events: world.stub.events.length };
}

/** What certificates:Record answers for one holding and PEM on a fresh registry: its record, or "CODE: sentence". */
async function recordAlone(who: Who, holderId: string, name: HolderName, days = 0): Promise<unknown> {
  const world = await registry();
  world.stub.txSeconds += days * DAY;
  return world.recordCertificate(who, FUND, holderId, pem(name)).then(
    (record) => record,
    (error: unknown) => (isChaincodeError(error) ? `${error.code}: ${error.sentence}` : error),
  );
}

describe('CertificatesContract.RecordBatch', () => {
  it('records every item as Record records it alone, in one transaction and one event', async () => {
    const world = await registry();
    const result = await world.recordBatch('platform1', [item(ALICE, 'alice'), item(BOB, 'bob')]);
    expect(result.refused).toEqual([]);
    expect(result.recorded).toEqual([
      await recordAlone('platform1', ALICE, 'alice'),
      await recordAlone('platform1', BOB, 'bob'),
    ]);
    for (const holder of [ALICE, BOB]) {
      expect(json(world.stub.state.get(holdingKey(FUND, holder)))).toMatchObject({ certificate: 'ISSUED' });
    }
    expect(world.stub.events.map((e) => e.name).filter((n) => n.startsWith('Certificate'))).toEqual([
      'CertificatesRecorded',
    ]);
    expect(json(world.stub.events.at(-1)?.payload)).toEqual({
      records: [
        json(world.stub.state.get(certKey(FUND, ALICE))),
        json(world.stub.state.get(certKey(FUND, BOB))),
      ],
    });
  });

  it('never writes or emits a certificate itself: the PEMs stay in the transient map', async () => {
    const world = await registry();
    await world.recordBatch('platform1', [item(ALICE, 'alice'), item(BOB, 'bob')]);
    const bodies = [pem('alice'), pem('bob')].map((text) => text.split('\n')[1] ?? 'missing');
    const written = [...world.stub.writes.map((w) => w.value), ...world.stub.events.map((e) => e.payload)];
    const texts = written.map((bytes) => Buffer.from(bytes).toString('utf8'));
    expect(texts.filter((text) => bodies.some((body) => text.includes(body)))).toEqual([]);
  });

  it.each<[string, string, HolderName, number]>([
    ['from another CA with the same name (forged)', ALICE, 'aliceForged', 0],
    ['naming another asset', ALICE, 'aliceOtherAsset', 0],
    ['naming another holder', ALICE, 'bob', 0],
    ['whose CN is no holder enrollment ID', ALICE, 'aliceNamedInCn', 0],
    ['past its validity', ALICE, 'alice', 60],
  ])(
    'refuses an item with a certificate %s exactly as Record does, writes nothing of it, and records the rest',
    async (_case, holderId, name, days) => {
      const world = await registry();
      world.stub.txSeconds += days * DAY;
      const before = world.stub.state.get(holdingKey(FUND, holderId));
      const alone = await recordAlone('platform1', holderId, name, days);
      expect(alone).toMatch(/^CERTIFICATE_(INVALID|EXPIRED): /);
      const good = days === 0 ? [item(BOB, 'bob')] : [];
      const result = await world.recordBatch('platform1', [item(holderId, name), ...good]);
      expect(result.refused.map((r) => `${r.code}: ${r.sentence}`)).toEqual([alone]);
      expect(result.refused[0]).toMatchObject({ index: 0, assetId: FUND, holderId });
      expect(result.recorded.map((r) => r.holderId)).toEqual(days === 0 ? [BOB] : []);
      expect(world.stub.state.get(certKey(FUND, holderId))).toBeUndefined();
      expect(world.stub.state.get(holdingKey(FUND, holderId))).toEqual(before);
    },
  );

  it('refuses a holder without units (NOT_HOLDER) and a second certificate while one is active, as Record does', async () => {
    const world = await registry();
    await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    world.nextTx();
    const active = world.stub.state.get(certKey(FUND, ALICE));
    const result = await world.recordBatch('platform2', [item(CAROL, 'carol')]);
    expect(result.refused).toEqual([
      expect.objectContaining({ code: 'NOT_HOLDER', sentence: `user ${CAROL} holds no units of ${FUND}` }),
    ]);
    const second = await world.recordBatch('platform1', [item(ALICE, 'aliceAgain'), item(BOB, 'bob')]);
    expect(second.refused.map((r) => [r.index, r.code])).toEqual([[0, 'CERTIFICATE_INVALID']]);
    expect(second.refused[0]?.sentence).toMatch(/is still active: revoke it/);
    expect(world.stub.state.get(certKey(FUND, ALICE))).toEqual(active);
  });

  it('returns the active record again for a certificate already recorded, and emits only the new ones', async () => {
    const world = await registry();
    const first = await world.recordCertificate('platform1', FUND, ALICE, pem('alice'));
    world.nextTx();
    const result = await world.recordBatch('platform1', [item(ALICE, 'alice'), item(BOB, 'bob')]);
    expect(result.recorded[0]).toEqual(first);
    const payload = json(world.stub.events.at(-1)?.payload) as { records: { holderId: string }[] };
    expect(payload.records.map((r) => r.holderId)).toEqual([BOB]);
    const again = marks(world);
    await world.recordBatch('platform1', [item(ALICE, 'alice'), item(BOB, 'bob')]);
    expect(marks(world)).toEqual(again);
  });

  // The attacks: a platform recording for another platform's holder, alone or hidden among its own.
  it.each<[string, Who, [string, HolderName][]]>([
    ["Platform2 recording Platform1's holder", 'platform2', [[ALICE, 'alice']]],
    [
      "Platform1 slipping Platform2's user in among its own",
      'platform1',
      [
        [BOB, 'bob'],
        [CAROL, 'carol'],
      ],
    ],
    ['an auditor', 'auditor', [[ALICE, 'alice']]],
    ['a holder', { holder: 'alice' }, [[ALICE, 'alice']]],
  ])('fails whole with FORBIDDEN and records nothing: %s', async (_case, who, items) => {
    const world = await registry();
    const before = marks(world);
    const batch = items.map(([holder, name]) => item(holder, name));
    await expect(world.recordBatch(who, batch)).rejects.toThrow(/^FORBIDDEN: /);
    expect(marks(world)).toEqual(before);
    expect(world.stub.state.get(certKey(FUND, BOB))).toBeUndefined();
    expect(world.stub.state.get(certKey(FUND, ALICE))).toBeUndefined();
  });

  it("names the item that is another platform's holder", async () => {
    const world = await registry();
    await expect(world.recordBatch('platform1', [item(BOB, 'bob'), item(CAROL, 'carol')])).rejects.toThrow(
      new RegExp(`^FORBIDDEN: item 1 \\(${FUND}/${CAROL}\\): .*; nothing of this batch was recorded$`),
    );
  });

  it('records nothing from a batch of forged certificates', async () => {
    const world = await registry();
    const before = marks(world);
    const result = await world.recordBatch('platform1', [item(ALICE, 'aliceForged')]);
    expect(result).toMatchObject({ recorded: [], refused: [{ code: 'CERTIFICATE_INVALID' }] });
    expect(marks(world)).toEqual(before);
  });

  it.each<[string, () => unknown[], () => unknown[], RegExp]>([
    [
      'a holding named twice',
      () => [item(ALICE, 'alice'), item(ALICE, 'aliceAgain')],
      () => [pem('alice'), pem('aliceAgain')],
      /^INVALID_ARGUMENT: items\[1\] names .* again: one item per holding$/,
    ],
    [
      'fewer PEMs than items',
      () => [item(ALICE, 'alice'), item(BOB, 'bob')],
      () => [pem('alice')],
      /^INVALID_ARGUMENT: the transient certificates hold 1 PEMs for 2 items/,
    ],
    [
      'a PEM that is no string',
      () => [item(ALICE, 'alice')],
      () => [42],
      /^INVALID_ARGUMENT: certificates\[0\] must be a PEM string$/,
    ],
    ['an empty batch', () => [], () => [], /^INVALID_ARGUMENT: items must be a non-empty JSON list$/],
    [
      'a malformed holder ID',
      () => [{ assetId: FUND, holderId: 'nobody' }],
      () => [pem('alice')],
      /^INVALID_ARGUMENT: items\[0\]\.holderId/,
    ],
    [
      'an unknown field',
      () => [{ ...item(ALICE, 'alice'), units: 5 }],
      () => [pem('alice')],
      /^INVALID_ARGUMENT: items\[0\] has an unknown field/,
    ],
    [
      'one item too many',
      () => Array.from({ length: MAX_CERTIFICATE_BATCH + 1 }, () => item(ALICE, 'alice')),
      () => Array.from({ length: MAX_CERTIFICATE_BATCH + 1 }, () => pem('alice')),
      /^BATCH_TOO_LARGE: items holds 101 entries; one batch records at most 100$/,
    ],
  ])('fails whole on %s, writing nothing', async (_case, items, pems, message) => {
    const world = await registry();
    const before = marks(world);
    // The PEMs go in the transient map only, as pems() says; the argument names holdings.
    const holdings = items().map((entry) => ({ ...(entry as object), pem: undefined }));
    world.stub.transient = new Map([['certificates', Buffer.from(JSON.stringify(pems()))]]);
    await expect(
      contracts.certificates.RecordBatch(world.as('platform1'), JSON.stringify(holdings)),
    ).rejects.toThrow(message);
    expect(marks(world)).toEqual(before);
  });

  it('fails TRANSIENT_MISSING without the certificates', async () => {
    const world = await registry();
    world.stub.transient = new Map();
    await expect(
      contracts.certificates.RecordBatch(
        world.as('platform1'),
        JSON.stringify([{ assetId: FUND, holderId: ALICE }]),
      ),
    ).rejects.toThrow('TRANSIENT_MISSING: transient field certificates is required');
  });

  it('records a full batch of MAX_CERTIFICATE_BATCH items in one transaction', async () => {
    const world = await registry();
    // Two real holdings and 98 of users nobody registered: each of those refused on its own, USER_NOT_FOUND.
    const unknown = Array.from({ length: MAX_CERTIFICATE_BATCH - 2 }, (_, i) => ({
      assetId: FUND,
      holderId: `U${i.toString(16).padStart(32, '0')}`,
      pem: pem('alice'),
    }));
    const result = await world.recordBatch('platform1', [item(ALICE, 'alice'), item(BOB, 'bob'), ...unknown]);
    expect(result.recorded).toHaveLength(2);
    expect(result.refused).toHaveLength(MAX_CERTIFICATE_BATCH - 2);
    expect(new Set(result.refused.map((r) => r.code))).toEqual(new Set(['USER_NOT_FOUND']));
  });
});
