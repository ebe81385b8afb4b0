import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AssetInput,
  CrowdLedger,
  type CrowdLedgerClient,
  type CurrentCapTable,
  loadProfile,
} from '../../client/src';
import {
  eventually,
  failureCode,
  newPerson,
  orgs,
  profilePath,
  runCli,
  uniqueSuffix,
  withClient,
  withConnection,
} from './support';
import { fundAsset } from '../support/assets';

/**
 * R13 on the real network: units Platform1 grants a Platform2 user are
 * PENDING until Platform2 accepts them. Before that no certificate is
 * issued, the cap table shows them pending, and the units count in the
 * asset's total throughout; only Platform2 may accept or decline, and every
 * other party's attempt is refused with nothing written.
 */

const run = uniqueSuffix();
let platform1: CrowdLedgerClient;
let platform2: CrowdLedgerClient;
let auditor: CrowdLedgerClient;
let dir = '';
let own = '';
let foreign = '';
let assetId = '';
let startBlock = 0n;

function asset(assetRef: string, holders: AssetInput['holders']): AssetInput {
  return fundAsset(assetRef, holders, { name: '跨平台基金', description: 'R13' });
}

/** The chain height once every peer has the same: nothing is on its way to a block. */
async function settledHeight(): Promise<bigint> {
  return eventually(async () => {
    const heights = await Promise.all(orgs.map((org) => withClient(org, (c) => c.chainHeight())));
    expect(new Set(heights).size).toBe(1);
    return heights[0] ?? 0n;
  });
}

/** Units held (pending included) and the asset's total, and each holder's certificate state. */
function summary(table: CurrentCapTable): { total: number; held: number; states: Record<string, string> } {
  return {
    total: table.asset.totalUnits,
    held: table.holders.reduce((sum, h) => sum + h.holding.units, 0),
    states: Object.fromEntries(table.holders.map((h) => [h.holding.userId, h.holding.certificate])),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crowdledger-pending-'));
  platform1 = await CrowdLedger.connect({ profile: profilePath('platform1'), identity: 'app' });
  platform2 = await CrowdLedger.connect({ profile: profilePath('platform2'), identity: 'app' });
  auditor = await CrowdLedger.connect({ profile: profilePath('registry'), identity: 'auditor' });
  own = (await platform1.users.register(newPerson('pending-own'))).userId;
  foreign = (await platform2.users.register(newPerson('pending-foreign'))).userId;
  startBlock = await platform1.chainHeight();
  const holders = [
    { userId: own, units: 700 },
    { userId: foreign, units: 300 },
  ];
  assetId = (await platform1.assets.register(asset(`pending-${run}`, holders))).assetId;
});

afterAll(async () => {
  for (const client of [platform1, platform2, auditor]) {
    client.close();
  }
  await rm(dir, { recursive: true, force: true });
});

describe('a holding Platform1 grants a Platform2 user', () => {
  it('is PENDING in the cap table, and counts in the total', async () => {
    // Platform1's peer committed the registration; the registry's may be a moment behind.
    const table = await eventually(() => auditor.assets.capTable(assetId));
    expect(summary(table)).toEqual({
      total: 1000,
      held: 1000,
      states: { [own]: 'DUE', [foreign]: 'PENDING' },
    });
    const { stdout } = await runCli(['assets', 'holders', assetId, '--json']);
    const cli = JSON.parse(stdout) as { holders: { holder: string; certificate: string }[] };
    expect(cli.holders).toContainEqual(expect.objectContaining({ holder: foreign, certificate: 'PENDING' }));
  });

  it('is listed for Platform2 to decide on, and only for it', async () => {
    const pending = await eventually(async () => {
      const all = [];
      for await (const h of platform2.assets.allPendingHoldings()) {
        all.push(h);
      }
      expect(all).toContainEqual(expect.objectContaining({ assetId, userId: foreign, units: 300 }));
      return all;
    });
    expect(pending.every((h) => h.certificate === 'PENDING')).toBe(true);
    const forPlatform1 = (await platform1.assets.pendingHoldings()).records;
    expect(forPlatform1.map((h) => h.userId)).not.toContain(foreign);
    const { stdout } = await runCli(['assets', 'pending', '--org', 'platform2', '--json']);
    expect(JSON.parse(stdout)).toContainEqual(expect.objectContaining({ assetId, userId: foreign }));
  });

  it('gets no certificate: not from issue, not from issueDue, not by recording one directly', async () => {
    expect(await failureCode(platform2.certificates.issue(assetId, foreign))).toBe('HOLDING_PENDING');
    const report = await platform2.certificates.issueDue({
      checkpoint: join(dir, 'p2.checkpoint'),
      startBlock,
    });
    expect(report.issued.filter((c) => c.assetId === assetId)).toEqual([]);
    const before = await settledHeight();
    // The attack: Platform2 records a certificate for the holding it has not accepted.
    const profile = await loadProfile(profilePath('platform2'));
    const pem = await readFile(profile.identities['app']?.cert ?? '', 'utf8');
    const code = await withConnection('platform2', 'app', (c) =>
      failureCode(
        c.contract('certificates').submit('Record', {
          arguments: [assetId, foreign],
          transientData: { certificate: pem },
        }),
      ),
    );
    expect(code).toBe('HOLDING_PENDING');
    expect(await settledHeight()).toBe(before);
    expect(await failureCode(auditor.certificates.get(assetId, foreign))).toBe('NOT_FOUND');
  });

  it.each([
    ['the asset’s own platform', 'platform1', 'app'],
    ['the registry admin', 'registry', 'app'],
  ] as const)(
    'is not accepted or declined by %s: FORBIDDEN, nothing written',
    async (_who, org, identity) => {
      const before = await settledHeight();
      const codes = await withConnection(org, identity, async (c) => [
        await failureCode(c.contract('assets').submitTransaction('AcceptHolding', assetId, foreign)),
        await failureCode(c.contract('assets').submitTransaction('DeclineHolding', assetId, foreign)),
      ]);
      expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(await settledHeight()).toBe(before);
      expect(summary(await auditor.assets.capTable(assetId)).states[foreign]).toBe('PENDING');
    },
  );

  it('is accepted by Platform2: DUE, then issued from the event feed, units still conserved', async () => {
    const accepted = await platform2.assets.acceptHolding(assetId, foreign);
    expect(accepted).toMatchObject({ assetId, userId: foreign, units: 300, certificate: 'DUE' });
    expect(await failureCode(platform2.assets.acceptHolding(assetId, foreign))).toBe('HOLDING_NOT_PENDING');
    const report = await platform2.certificates.issueDue({
      checkpoint: join(dir, 'p2.checkpoint'),
      startBlock,
    });
    expect(report.issued.filter((c) => c.assetId === assetId).map((c) => c.holderId)).toEqual([foreign]);
    expect(summary(await auditor.assets.capTable(assetId))).toEqual({
      total: 1000,
      held: 1000,
      states: { [own]: 'DUE', [foreign]: 'ISSUED' },
    });
    const pending = (await platform2.assets.pendingHoldings()).records;
    expect(pending.filter((h) => h.assetId === assetId)).toEqual([]);
  });
});

describe('a declined holding', () => {
  it('leaves the asset: its total shrinks by the units, which were never anyone’s', async () => {
    const holders = [
      { userId: own, units: 40 },
      { userId: foreign, units: 60 },
    ];
    const declined = (await platform1.assets.register(asset(`declined-${run}`, holders))).assetId;
    await eventually(() => platform2.assets.get(declined));
    const { stdout } = await runCli([
      'assets',
      'decline-holding',
      declined,
      foreign,
      '--org',
      'platform2',
      '--json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ assetId: declined, totalUnits: 40 });
    expect(summary(await auditor.assets.capTable(declined))).toEqual({
      total: 40,
      held: 40,
      states: { [own]: 'DUE' },
    });
    expect((await platform2.users.portfolio(foreign)).holdings.map((h) => h.assetId)).not.toContain(declined);
  });
});
