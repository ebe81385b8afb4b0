import { AuditContract } from './audit';
import { makeTestPki, type TestPki } from '../testing/pki';
import { ALICE, BOB, contracts, FUND, HOLDER_CERTS, World } from '../testing/world';

const audit = new AuditContract();
let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki(HOLDER_CERTS);
});

async function history(): Promise<World> {
  const world = new World(pki);
  await world.setAssetCa();
  world.stub.txId = 'tx-populate';
  await world.populate();
  world.stub.txId = 'tx-record';
  world.stub.txSeconds += 60;
  world.stub.transient = new Map([['certificate', Buffer.from(pki.holders['alice'] ?? '')]]);
  await contracts.certificates.Record(world.as('platform1'), FUND, ALICE);
  return world;
}

describe('AuditContract.History', () => {
  it('lists every version of a holding, newest first, with parsed values', async () => {
    const world = await history();
    const { records: entries } = await audit.History(
      world.as('auditor'),
      'holding',
      `${FUND}/${ALICE}`,
      '10',
      '',
    );
    expect(entries.map((e) => [e.txId, e.isDelete])).toEqual([
      ['tx-record', false],
      ['tx-populate', false],
    ]);
    expect(entries.map((e) => (e.value as { certificate: string }).certificate)).toEqual(['ISSUED', 'DUE']);
    expect(entries[0]?.timestamp).toBe(new Date(world.stub.txSeconds * 1000).toISOString());
    expect(world.stub.openIterators).toBe(0);
  });

  it.each([
    ['user', () => ALICE, 1],
    ['asset', () => FUND, 1],
    ['certificate', () => `${FUND}/${ALICE}`, 1],
    ['certificate', () => `${FUND}/${BOB}`, 0],
  ])('reads the history of a %s', async (kind, id, count) => {
    const world = await history();
    await expect(audit.History(world.as('platform2'), kind, id(), '10', '')).resolves.toMatchObject({
      fetched: count,
      bookmark: '',
    });
  });

  it.each([
    ['ledger', ALICE, 'INVALID_ARGUMENT: kind must be one of user, asset, holding, certificate'],
    ['user', FUND, /^INVALID_ARGUMENT: id must be a user ID/],
    ['holding', FUND, 'INVALID_ARGUMENT: id for kind holding must be assetId/userId'],
    ['certificate', `${ALICE}/${FUND}`, /^INVALID_ARGUMENT: id \(asset part\) must be an asset ID/],
  ])('refuses kind %s with id %s', async (kind, id, message) => {
    const world = await history();
    await expect(audit.History(world.as('admin'), kind, id, '10', '')).rejects.toThrow(message);
  });

  it.each(['nobody', { holder: 'alice' }] as const)('refuses %j', async (who) => {
    const world = await history();
    await expect(audit.History(world.as(who), 'user', ALICE, '10', '')).rejects.toThrow(/^FORBIDDEN: /);
  });

  it('pages like every other list: the bookmark is the last transaction of the page', async () => {
    const world = await history();
    for (const txId of ['tx-a', 'tx-b', 'tx-c']) {
      world.stub.txId = txId;
      await world.stub.putState(
        `\u0000holding\u0000${FUND}\u0000${BOB}\u0000`,
        Buffer.from(
          JSON.stringify({ assetId: FUND, userId: BOB, units: 40, escrowed: 0, certificate: 'DUE' }),
        ),
      );
    }
    const id = `${FUND}/${BOB}`;
    const pages: string[][] = [];
    let bookmark = '';
    do {
      const page = await audit.History(world.as('auditor'), 'holding', id, '2', bookmark);
      pages.push(page.records.map((e) => e.txId));
      expect(page.fetched).toBe(page.records.length);
      bookmark = page.bookmark;
    } while (bookmark !== '');
    expect(pages).toEqual([
      ['tx-c', 'tx-b'],
      ['tx-a', 'tx-populate'],
    ]);
    expect(world.stub.openIterators).toBe(0);
    await expect(audit.History(world.as('auditor'), 'holding', id, '2', 'tx-elsewhere')).rejects.toThrow(
      'INVALID_ARGUMENT: bookmark does not belong to this query',
    );
    await expect(audit.History(world.as('auditor'), 'holding', id, '501', '')).rejects.toThrow(
      'INVALID_ARGUMENT: pageSize',
    );
    expect(world.stub.openIterators).toBe(0);
  });

  it('reports a stored version that does not parse as CORRUPT_STATE and closes the iterator', async () => {
    const world = await history();
    const key = `\u0000user\u0000${ALICE}\u0000`;
    await world.stub.putState(key, Buffer.from('{"userId":"nope"}'));
    await expect(audit.History(world.as('auditor'), 'user', ALICE, '10', '')).rejects.toThrow(
      /^CORRUPT_STATE: record .*user.* is invalid: user.platform is required$/s,
    );
    expect(world.stub.openIterators).toBe(0);
  });
});
