import { KeyPrefix, userCommitment } from '@crowdledger/protocol';
import { makeTestPki, type TestPki } from '../testing/pki';
import {
  ALICE,
  contracts,
  DETAILS,
  FUND,
  HOLDER_CERTS,
  importRow,
  P1,
  SALT,
  userIdOf,
  World,
} from '../testing/world';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

const text = (bytes: Uint8Array | undefined): string =>
  Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const key = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;

/** A register of `n` holders on platform1, each with 10 units: holder-0 … holder-(n-1). */
function rows(n: number, from = 0): object[] {
  return Array.from({ length: n }, (_, i) => importRow(`holder-${String(from + i)}`, 10));
}

async function importing(world: World, totalUnits = 100): Promise<string> {
  return (await world.beginImport('platform1', { totalUnits })).assetId;
}

describe('ImportsContract.Begin', () => {
  it('records the asset IMPORTING with its declared total and no holding', async () => {
    const world = new World(pki);
    const asset = await world.beginImport('platform1', { totalUnits: 5000 });
    expect(asset.status).toBe('IMPORTING');
    expect(asset.totalUnits).toBe(5000);
    const page = await contracts.assets.Holders(world.as('auditor'), asset.assetId, '10', '');
    expect(page.records).toEqual([]);
    expect(world.stub.events.map((e) => e.name)).toEqual(['ImportStarted']);
  });

  it('refuses a second begin of the same reference, writing nothing', async () => {
    const world = new World(pki);
    await world.beginImport('platform1');
    const writes = world.stub.writes.length;
    await expect(world.beginImport('platform1')).rejects.toThrow(/^ASSET_EXISTS: .*\(IMPORTING\)/);
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('is for platforms only', async () => {
    const world = new World(pki);
    await expect(world.beginImport('auditor')).rejects.toThrow(/^FORBIDDEN: /);
    expect(world.stub.writes).toEqual([]);
  });
});

describe('ImportsContract.Add', () => {
  it("registers each holder as the platform's user and makes them a holder DUE a certificate", async () => {
    const world = new World(pki);
    const assetId = await importing(world, 30);
    const result = await world.addImportBatch('platform1', assetId, rows(3));
    expect(result.toJson()).toEqual({ assetId, written: 3, units: 30, skipped: [], rejected: [] });
    const userId = userIdOf(P1, 'holder-1');
    const holding = JSON.parse(
      text(world.stub.state.get(key(KeyPrefix.holding, assetId, userId))),
    ) as unknown;
    expect(holding).toEqual({ assetId, userId, units: 10, escrowed: 0, certificate: 'DUE' });
    expect(world.stub.state.has(key(KeyPrefix.holdingByUser, userId, assetId))).toBe(true);
    const user = JSON.parse(text(world.stub.state.get(key(KeyPrefix.user, userId)))) as {
      commitment: string;
    };
    expect(user.commitment).toBe(userCommitment(SALT, { ...DETAILS.alice, platformRef: 'holder-1' }));
    const personal = world.stub.privateData.get(`${P1}Private`)?.get(key(KeyPrefix.personal, userId));
    expect(JSON.parse(text(personal))).toEqual({
      userId,
      platformRef: 'holder-1',
      ...DETAILS.alice,
      salt: SALT,
    });
  });

  it('keeps references, names, ID numbers and salts out of public writes, the event and the result', async () => {
    const world = new World(pki);
    const assetId = await importing(world, 30);
    const result = await world.addImportBatch('platform1', assetId, rows(3));
    const published = [
      ...world.stub.writes.filter((w) => w.collection === '').map((w) => text(w.value)),
      ...world.stub.events.map((e) => text(e.payload)),
      JSON.stringify(result),
    ].join('\n');
    for (const secret of ['holder-0', 'holder-2', DETAILS.alice.name, DETAILS.alice.idNumber, SALT]) {
      expect(published).not.toContain(secret);
    }
    const event = JSON.parse(text(world.stub.events.at(-1)?.payload)) as unknown;
    expect(event).toEqual({
      assetId,
      platform: P1,
      holders: ['holder-0', 'holder-1', 'holder-2'].map((ref) => ({ userId: userIdOf(P1, ref), units: 10 })),
    });
  });

  it('writes nothing when the same batch comes again: every holder is skipped', async () => {
    const world = new World(pki);
    const assetId = await importing(world, 30);
    await world.addImportBatch('platform1', assetId, rows(3));
    const writes = world.stub.writes.length;
    world.nextTx();
    const again = await world.addImportBatch('platform1', assetId, rows(3));
    expect(again.toJson()).toEqual({ assetId, written: 0, units: 0, skipped: [0, 1, 2], rejected: [] });
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('skips the holders an earlier batch wrote and writes the rest of an overlapping batch', async () => {
    const world = new World(pki);
    const assetId = await importing(world, 50);
    await world.addImportBatch('platform1', assetId, rows(3));
    world.nextTx();
    const result = await world.addImportBatch('platform1', assetId, rows(5));
    expect(result.toJson()).toMatchObject({ written: 2, units: 20, skipped: [0, 1, 2] });
    world.nextTx();
    await expect(contracts.imports.Finish(world.as('platform1'), assetId)).resolves.toMatchObject({
      status: 'ACTIVE',
    });
  });

  it('refuses one row that would change a holding, and writes the others', async () => {
    const world = new World(pki);
    const assetId = await importing(world, 50);
    await world.addImportBatch('platform1', assetId, rows(1));
    world.nextTx();
    const result = await world.addImportBatch('platform1', assetId, [
      importRow('holder-0', 11),
      importRow('holder-1', 10),
    ]);
    expect(result.written).toBe(1);
    expect(result.rejected).toEqual([
      {
        index: 0,
        code: 'HOLDING_CONFLICT',
        reason: `${userIdOf(P1, 'holder-0')} already holds 10 units of ${assetId}, the register says 11`,
      },
    ]);
  });

  it('makes a registered user a holder when the row carries their details, and refuses other details', async () => {
    const world = new World(pki);
    await world.populate();
    const assetId = await importing(world, 70);
    const result = await world.addImportBatch('platform1', assetId, [
      importRow('alice', 60),
      importRow('bob', 10), // bob registered with his own details, not alice's
    ]);
    expect(result.written).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([[1, 'USER_DETAILS_MISMATCH']]);
    expect(result.rejected[0]?.reason).not.toContain(DETAILS.bob.idNumber);
    const alice = await contracts.users.Portfolio(world.as('auditor'), ALICE);
    expect(alice.holdings.map((h) => h.assetId)).toContain(assetId);
  });

  it('refuses the whole batch for a bad row, naming its place and not its data', async () => {
    const world = new World(pki);
    const assetId = await importing(world);
    const writes = world.stub.writes.length;
    const bad = importRow('holder-1', 10, { idNumber: '110105194912310021' });
    await expect(
      world.addImportBatch('platform1', assetId, [importRow('holder-0', 10), bad]),
    ).rejects.toThrow(
      'INVALID_ARGUMENT: holders[1].idNumber has a wrong check character for RESIDENT_ID (GB 11643-1999 (ISO 7064 MOD 11-2))',
    );
    const twice = [importRow('holder-0', 10), importRow('holder-0', 10)];
    await expect(world.addImportBatch('platform1', assetId, twice)).rejects.toThrow(
      'INVALID_ARGUMENT: holders[1].platformRef is listed more than once',
    );
    await expect(world.addImportBatch('platform1', assetId, rows(1001))).rejects.toThrow(
      'INVALID_ARGUMENT: holders must be a list of 1 to 1000 entries',
    );
    expect(world.stub.writes).toHaveLength(writes);
  });

  it('refuses another platform, and an asset that is not importing, writing nothing', async () => {
    const world = new World(pki);
    await world.populate();
    const assetId = await importing(world);
    const writes = world.stub.writes.length;
    await expect(world.addImportBatch('platform2', assetId, rows(1))).rejects.toThrow(/^FORBIDDEN: /);
    await expect(world.addImportBatch('platform1', FUND, rows(1))).rejects.toThrow(/^ASSET_NOT_IMPORTING: /);
    await expect(world.addImportBatch('platform1', assetId, rows(1), '3'.repeat(64))).rejects.toThrow(
      /^REFERENCE_SECRET_MISMATCH: /,
    );
    expect(world.stub.writes).toHaveLength(writes);
  });
});

describe('ImportsContract.Finish', () => {
  it('makes the asset ACTIVE once the batches add up to the declared total', async () => {
    const world = new World(pki);
    const assetId = await importing(world, 50);
    await world.addImportBatch('platform1', assetId, rows(2));
    world.nextTx();
    await world.addImportBatch('platform1', assetId, rows(3, 2));
    world.nextTx();
    const asset = await contracts.imports.Finish(world.as('platform1'), assetId);
    expect(asset.status).toBe('ACTIVE');
    expect(world.stub.events.at(-1)?.name).toBe('ImportFinished');
    await expect(world.addImportBatch('platform1', assetId, rows(1, 9))).rejects.toThrow(
      /^ASSET_NOT_IMPORTING: /,
    );
  });

  it('refuses while the holdings fall short of the total, and stays IMPORTING', async () => {
    const world = new World(pki);
    const assetId = await importing(world, 50);
    await world.addImportBatch('platform1', assetId, rows(2));
    await expect(contracts.imports.Finish(world.as('platform1'), assetId)).rejects.toThrow(
      `IMPORT_INCOMPLETE: the 2 holders imported into ${assetId} in 1 batches hold 20 units, not the 50 declared`,
    );
    await expect(contracts.imports.Finish(world.as('platform2'), assetId)).rejects.toThrow(/^FORBIDDEN: /);
    const asset = await contracts.assets.Get(world.as('auditor'), assetId);
    expect(asset.status).toBe('IMPORTING');
  });
});

describe('AssetsContract.CapTable', () => {
  it("joins each holder's certificate record in the same page, page after page", async () => {
    const world = new World(pki);
    await world.setAssetCa();
    await world.populate();
    await world.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    const seen: { userId: string; serial: string | undefined }[] = [];
    let bookmark = '';
    do {
      const page = await contracts.assets.CapTable(world.as('auditor'), FUND, '1', bookmark);
      for (const entry of page.records) {
        seen.push({ userId: entry.holding.userId, serial: entry.certificate?.serial });
      }
      bookmark = page.bookmark;
    } while (bookmark !== '');
    const record = await contracts.certificates.Get(world.as('auditor'), FUND, ALICE);
    const expected = [
      { userId: ALICE, serial: record.serial },
      { userId: userIdOf(P1, 'bob'), serial: undefined },
    ].sort((a, b) => a.userId.localeCompare(b.userId));
    expect(seen).toEqual(expected);
  });

  it('does not read a record of a holder outside the page', async () => {
    const world = new World(pki);
    await world.setAssetCa();
    await world.populate();
    await world.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    const [first] = [ALICE, userIdOf(P1, 'bob')].sort();
    const page = await contracts.assets.CapTable(world.as('auditor'), FUND, '1', '');
    expect(page.records.map((e) => e.holding.userId)).toEqual([first]);
    expect(page.records[0]?.certificate === undefined).toBe(first !== ALICE);
  });

  it('takes pages of up to 1,000', async () => {
    const world = new World(pki);
    await world.populate();
    await expect(contracts.assets.CapTable(world.as('auditor'), FUND, '1000', '')).resolves.toBeDefined();
    await expect(contracts.assets.CapTable(world.as('auditor'), FUND, '1001', '')).rejects.toThrow(
      'INVALID_ARGUMENT: pageSize must be a whole number from 1 to 1000 written in digits',
    );
    await expect(contracts.assets.Holders(world.as('auditor'), FUND, '501', '')).rejects.toThrow(
      /^INVALID_ARGUMENT: /,
    );
  });
});
