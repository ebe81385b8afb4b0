import { INDEX_ENTRY_VALUE, KeyPrefix } from '@crowdledger/protocol';
import { assetIdFor } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import { ALICE, assetInput, BOB, CAROL, contracts, FUND, P1, P2, userIdOf, World } from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

const key = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;
const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const json = (bytes: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

async function withUsers(): Promise<World> {
  const world = new World(pki);
  await world.registerUser('platform1', 'alice', { name: 'A', idType: 'PASSPORT', idNumber: 'E1234' });
  await world.registerUser('platform1', 'bob', { name: 'B', idType: 'PASSPORT', idNumber: 'E2345' });
  await world.registerUser('platform2', 'carol', { name: 'C', idType: 'PASSPORT', idNumber: 'E3456' });
  return world;
}

describe('AssetsContract.Register', () => {
  it('stores the asset, one holding per holder and the two indexes', async () => {
    const world = await withUsers();
    const asset = await world.registerAsset('platform1', assetInput());
    expect(asset).toMatchObject({ assetId: FUND, platform: P1, totalUnits: 100, status: 'ACTIVE' });
    expect(asset.attributes.name).toBe('城市更新基金一期');
    const state = world.stub.state;
    expect(json(state.get(key(KeyPrefix.asset, FUND)))).toMatchObject({ assetId: FUND, totalUnits: 100 });
    expect(json(state.get(key(KeyPrefix.holding, FUND, ALICE)))).toEqual({
      assetId: FUND,
      userId: ALICE,
      units: 60,
      escrowed: 0,
      certificate: 'DUE',
    });
    // Index entries hold only the marker: the IDs are in their keys.
    expect(text(state.get(key(KeyPrefix.holdingByUser, BOB, FUND)))).toBe(INDEX_ENTRY_VALUE);
    expect(text(state.get(key(KeyPrefix.assetByPlatform, P1, FUND)))).toBe(INDEX_ENTRY_VALUE);
  });

  it('writes every record with sorted keys', async () => {
    const world = await withUsers();
    await world.registerAsset('platform1', assetInput());
    const stored = Buffer.from(world.stub.state.get(key(KeyPrefix.asset, FUND)) ?? []).toString('utf8');
    expect(stored.startsWith('{"assetId":')).toBe(true);
    expect(stored).toContain(
      '"rights":{"dividend":{"enabled":true,"policy":"Quarterly, pro rata."},"otherTerms"',
    );
  });

  it('emits one AssetRegistered event naming every holder with a certificate due', async () => {
    const world = await withUsers();
    const before = world.stub.events.length;
    const asset = await world.registerAsset('platform1', assetInput());
    expect(world.stub.events.slice(before).map((e) => e.name)).toEqual(['AssetRegistered']);
    expect(json(world.stub.events.at(-1)?.payload)).toEqual({
      assetId: FUND,
      platform: P1,
      totalUnits: 100,
      registeredAt: asset.registeredAt,
      holders: [
        { userId: ALICE, platform: P1, units: 60, certificateDue: true, pending: false },
        { userId: BOB, platform: P1, units: 40, certificateDue: true, pending: false },
      ],
    });
  });

  it('fails ASSET_EXISTS for the same reference twice', async () => {
    const world = await withUsers();
    await world.registerAsset('platform1', assetInput());
    const writes = world.stub.writes.length;
    await expect(world.registerAsset('platform1', assetInput())).rejects.toThrow(
      `ASSET_EXISTS: ${P1} already registered fund-1 as asset ${FUND}`,
    );
    expect(world.stub.writes).toHaveLength(writes);
  });

  it("accepts another platform's user as an initial holder", async () => {
    const world = await withUsers();
    const input = assetInput({
      holders: [
        { userId: ALICE, units: 60 },
        { userId: CAROL, units: 40 },
      ],
    });
    const asset = await world.registerAsset('platform1', input);
    expect(asset.platform).toBe(P1);
    const page = await contracts.assets.Holders(world.as('platform2'), asset.assetId, '10', '');
    expect(page.records.map((h) => [h.userId, h.certificate])).toContainEqual([CAROL, 'PENDING']);
  });

  it('refuses an unregistered holder with USER_NOT_FOUND', async () => {
    const world = await withUsers();
    const ghost = userIdOf(P1, 'ghost');
    const input = assetInput({ totalUnits: 1, holders: [{ userId: ghost, units: 1 }] });
    await expect(world.registerAsset('platform1', input)).rejects.toThrow(
      `USER_NOT_FOUND: holder ${ghost} is not a registered user`,
    );
  });

  it.each([
    ['a fraction', { totalUnits: 100.5 }, 'UNITS_INVALID: assetJson.totalUnits'],
    [
      'a zero holding',
      {
        holders: [
          { userId: ALICE, units: 100 },
          { userId: BOB, units: 0 },
        ],
      },
      'UNITS_INVALID',
    ],
    [
      'a mismatched sum',
      { totalUnits: 99 },
      "UNITS_MISMATCH: holders' units add up to 100, not the asset's 99",
    ],
    [
      'no holders',
      { holders: [] },
      'INVALID_ARGUMENT: assetJson.holders must be a list of 1 to 1000 entries',
    ],
    ['an unknown field', { extra: 1 }, 'INVALID_ARGUMENT: assetJson has an unknown field extra'],
  ])('refuses %s and writes nothing', async (_case, overrides, message) => {
    const world = await withUsers();
    const writes = world.stub.writes.length;
    await expect(world.registerAsset('platform1', assetInput(overrides))).rejects.toThrow(message);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it.each(['admin', 'auditor', 'nobody'] as const)('refuses %s with FORBIDDEN', async (who) => {
    const world = await withUsers();
    await expect(world.registerAsset(who, assetInput())).rejects.toThrow(/^FORBIDDEN: only a platform/);
  });

  it('refuses text that is not JSON', async () => {
    const world = await withUsers();
    await expect(contracts.assets.Register(world.as('platform1'), '{')).rejects.toThrow(
      'INVALID_ARGUMENT: assetJson is not valid JSON',
    );
  });
});

describe('AssetsContract reads', () => {
  /** One asset per holder count, so paging has something to page through. */
  async function manyHolders(count: number): Promise<{ world: World; assetId: string; ids: string[] }> {
    const world = new World(pki);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const user = await world.registerUser('platform1', `u${String(i)}`, {
        name: `User ${String(i)}`,
        idType: 'PASSPORT',
        idNumber: `E${String(10000 + i)}`,
      });
      ids.push(user.userId);
    }
    const holders = ids.map((userId) => ({ userId, units: 1 }));
    const asset = await world.registerAsset(
      'platform1',
      assetInput({ assetRef: 'big', totalUnits: count, holders }),
    );
    return { world, assetId: asset.assetId, ids: ids.sort() };
  }

  it('pages through the cap table with bookmarks and closes every iterator', async () => {
    const { world, assetId, ids } = await manyHolders(7);
    const ctx = world.as('auditor');
    const first = await contracts.assets.Holders(ctx, assetId, '3', '');
    expect(first.fetched).toBe(3);
    expect(first.records.map((h) => h.userId)).toEqual(ids.slice(0, 3));
    const second = await contracts.assets.Holders(ctx, assetId, '3', first.bookmark);
    const third = await contracts.assets.Holders(ctx, assetId, '3', second.bookmark);
    expect([...second.records, ...third.records].map((h) => h.userId)).toEqual(ids.slice(3));
    expect(third).toMatchObject({ fetched: 1, bookmark: '' });
    expect(world.stub.openIterators).toBe(0);
  });

  it('refuses a bookmark from another query', async () => {
    const { world, assetId } = await manyHolders(2);
    const foreign = key(KeyPrefix.user, ALICE);
    await expect(contracts.assets.Holders(world.as('platform1'), assetId, '5', foreign)).rejects.toThrow(
      'INVALID_ARGUMENT: bookmark does not belong to this query',
    );
  });

  it('fails ASSET_NOT_FOUND for an unknown asset', async () => {
    const world = new World(pki);
    const unknown = assetIdFor(P1, 'nothing');
    await expect(contracts.assets.Holders(world.as('platform1'), unknown, '5', '')).rejects.toThrow(
      `ASSET_NOT_FOUND: no asset ${unknown} is registered`,
    );
    await expect(contracts.assets.Get(world.as('platform1'), unknown)).rejects.toThrow(/^ASSET_NOT_FOUND: /);
  });

  it('lists assets by platform', async () => {
    const world = await withUsers();
    const fund = await world.registerAsset('platform1', assetInput());
    const other = await world.registerAsset('platform1', assetInput({ assetRef: 'fund-2' }));
    const page = await contracts.assets.ListByPlatform(world.as('platform2'), P1, '10', '');
    expect(page.records.map((a) => a.assetId)).toEqual([fund.assetId, other.assetId].sort());
    expect(page).toMatchObject({ fetched: 2, bookmark: '' });
    const none = await contracts.assets.ListByPlatform(world.as('admin'), P2, '10', '');
    expect(none).toEqual(expect.objectContaining({ records: [], fetched: 0 }));
    expect(world.stub.openIterators).toBe(0);
  });

  it('refuses readers without a role and malformed page sizes', async () => {
    const world = await withUsers();
    await world.registerAsset('platform1', assetInput());
    await expect(contracts.assets.Get(world.as('nobody'), FUND)).rejects.toThrow(/^FORBIDDEN: /);
    await expect(contracts.assets.ListByPlatform(world.as('nobody'), P1, '10', '')).rejects.toThrow(
      /^FORBIDDEN/,
    );
    await expect(contracts.assets.Holders(world.as('auditor'), FUND, '501', '')).rejects.toThrow(
      /^INVALID_ARGUMENT: pageSize/,
    );
    await expect(contracts.assets.Get(world.as('auditor'), FUND)).resolves.toMatchObject({ assetId: FUND });
  });

  it('reports a dangling index entry as CORRUPT_STATE', async () => {
    const world = await withUsers();
    await world.registerAsset('platform1', assetInput());
    world.stub.state.delete(key(KeyPrefix.asset, FUND));
    await expect(contracts.assets.ListByPlatform(world.as('admin'), P1, '10', '')).rejects.toThrow(
      /^CORRUPT_STATE: an index entry points at .*asset.*, which does not exist$/s,
    );
    expect(world.stub.openIterators).toBe(0);
  });

  it('reports an index entry that holds more than the marker as CORRUPT_STATE', async () => {
    const world = await withUsers();
    await world.registerAsset('platform1', assetInput());
    world.stub.state.set(
      key(KeyPrefix.assetByPlatform, P1, FUND),
      Buffer.from(JSON.stringify({ assetId: FUND })),
    );
    await expect(contracts.assets.ListByPlatform(world.as('admin'), P1, '10', '')).rejects.toThrow(
      /^CORRUPT_STATE: index entry .*assetByPlatform.* is not an index entry$/s,
    );
    expect(world.stub.openIterators).toBe(0);
  });
});
