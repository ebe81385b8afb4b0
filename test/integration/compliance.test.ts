/*
 * Compliance reads over time (R14): the cap table as of a block, rebuilt from
 * the blocks, must equal the cap table read from the ledger when that block
 * was the newest; trades by platform and by time range come from the
 * chaincode's time indexes.
 */
import { StatusCode } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import {
  type CapTable,
  type Connection,
  CrowdLedger,
  type CrowdLedgerClient,
  type CurrentCapTable,
  type Trade,
} from '../../client/src';
import { capTableAtRows } from '../../cli/src/commands/assets';
import {
  connectAs,
  eventually,
  profilePath,
  registerUserKey,
  residentId,
  runCli,
  signedArguments,
  uniqueSuffix,
  type UserKey,
  utf8,
} from './support';
import { fundAsset } from '../support/assets';

type Org = 'registry' | 'platform1' | 'platform2';

const run = uniqueSuffix();
const clients = new Map<Org, CrowdLedgerClient>();
const keys = new Map<string, UserKey>();
let auditorConnection: Connection;

function client(org: Org): CrowdLedgerClient {
  const found = clients.get(org);
  if (found === undefined) {
    throw new Error(`no client for ${org}`);
  }
  return found;
}

function keyOf(userId: string): UserKey {
  const key = keys.get(userId);
  if (key === undefined) {
    throw new Error(`no key registered for ${userId}`);
  }
  return key;
}

async function newUser(org: 'platform1' | 'platform2', ref: string): Promise<string> {
  const user = await client(org).users.register({
    platformRef: `${ref}-${run}`,
    name: `合规${ref}`,
    idType: 'RESIDENT_ID',
    idNumber: residentId(),
  });
  keys.set(user.userId, await registerUserKey(client(org), user.userId));
  return user.userId;
}

/** The channel's height on the registry peer, which the auditor's reads also go to. */
async function height(): Promise<bigint> {
  const bytes = await auditorConnection.network
    .getContract('qscc')
    .evaluateTransaction('GetChainInfo', auditorConnection.profile.channel);
  return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
}

/** The cap table as the ledger's current state has it, read the ordinary way. */
async function currentCapTable(assetId: string): Promise<CurrentCapTable> {
  return client('registry').assets.capTable(assetId);
}

/**
 * The current cap table and the block it is as of: read between two equal
 * heights (no block committed meanwhile), and only once `check` passes, since
 * the registry peer may commit a block a little after the submitting one.
 */
async function snapshot(assetId: string, check: (table: CapTable) => void): Promise<CapTable> {
  return eventually(async () => {
    const before = await height();
    const current = await currentCapTable(assetId);
    if ((await height()) !== before) {
      throw new Error('a block committed while the cap table was read');
    }
    const table = { ...current, blockNumber: before - 1n };
    check(table);
    return table;
  });
}

const unitsOf = (table: CapTable): Record<string, number> =>
  Object.fromEntries(table.holders.map((h) => [h.holding.userId, h.holding.units]));

function inADay(): Date {
  return new Date(Date.now() + 86_400_000);
}

/**
 * Two purchases endorsed against the same state, then both submitted: the
 * second to commit reads a listing the first changed, so Fabric marks it
 * MVCC_READ_CONFLICT and leaves it, write set and all, in its block.
 */
async function racingBuys(
  listingId: string,
  buyers: readonly string[],
): Promise<{ codes: number[]; trade: Trade }> {
  const c = await connectAs('platform2', 'app');
  try {
    const endorsed = [];
    for (const buyer of buyers) {
      const params = { listingId, units: 10, pricePerUnit: 1250 };
      const proposal = c.contract('trades').newProposal('Buy', {
        arguments: signedArguments('trades:Buy', buyer, params, keyOf(buyer).privateKey),
      });
      // Peers a block apart disagree at endorsement; the next try sees them level.
      endorsed.push(await eventually(() => proposal.endorse()));
    }
    const submitted = [];
    for (const transaction of endorsed) {
      submitted.push(await transaction.submit());
    }
    const statuses = await Promise.all(submitted.map((s) => s.getStatus()));
    const winner = submitted[statuses.findIndex((s) => s.successful)];
    const result = JSON.parse(utf8.decode(winner?.getResult() ?? new Uint8Array())) as { trade: Trade };
    return { codes: statuses.map((s) => s.code), trade: result.trade };
  } finally {
    c.close();
  }
}

const cast = { seller: '', holder: '', buyer: '', racer: '', local: '' };
let assetId = '';
const tables: CapTable[] = [];
const trades: Trade[] = [];
let raceCodes: number[] = [];

async function registerAsset(): Promise<void> {
  cast.seller = await newUser('platform1', 'seller');
  cast.holder = await newUser('platform1', 'holder');
  cast.local = await newUser('platform1', 'local');
  cast.buyer = await newUser('platform2', 'buyer');
  cast.racer = await newUser('platform2', 'racer');
  const asset = await client('platform1').assets.register(
    fundAsset(
      `compliance-${run}`,
      [
        { userId: cast.seller, units: 600 },
        { userId: cast.holder, units: 400 },
      ],
      { name: '合规基金', description: 'as-of-block' },
    ),
  );
  assetId = asset.assetId;
  tables.push(
    await snapshot(assetId, (t) => {
      expect(t.holders).toHaveLength(2);
    }),
  );
}

async function issueCertificates(): Promise<void> {
  for (const holder of [cast.seller, cast.holder]) {
    await client('platform1').certificates.issue(assetId, holder);
  }
  tables.push(
    await snapshot(assetId, (t) => {
      expect(t.holders.map((h) => [h.holding.certificate, h.certificate?.status])).toEqual([
        ['ISSUED', 'ACTIVE'],
        ['ISSUED', 'ACTIVE'],
      ]);
    }),
  );
}

async function sellFromListing(): Promise<string> {
  const listing = await client('platform1').listings.create(
    {
      assetId,
      sellerId: cast.seller,
      units: 100,
      pricePerUnit: 1250,
      minPerBuyer: 1,
      maxPerBuyer: 50,
      expiresAt: inADay(),
    },
    keyOf(cast.seller),
  );
  const p2 = await client('platform2').trades.buy(listing.listingId, cast.buyer, 30, keyOf(cast.buyer));
  const p1 = await client('platform1').trades.buy(listing.listingId, cast.local, 20, keyOf(cast.local));
  trades.push(p2.trade, p1.trade);
  tables.push(
    await snapshot(assetId, (t) => {
      expect(unitsOf(t)[cast.local]).toBe(20);
    }),
  );
  return listing.listingId;
}

async function race(listingId: string): Promise<void> {
  const raced = await racingBuys(listingId, [cast.buyer, cast.racer]);
  raceCodes = raced.codes;
  trades.push(raced.trade);
  tables.push(
    await snapshot(assetId, (t) => {
      expect(unitsOf(t)[cast.seller]).toBe(540);
    }),
  );
}

async function holderSellsOut(): Promise<void> {
  const listing = await client('platform1').listings.create(
    {
      assetId,
      sellerId: cast.holder,
      units: 400,
      pricePerUnit: 1000,
      minPerBuyer: 1,
      maxPerBuyer: 400,
      expiresAt: inADay(),
    },
    keyOf(cast.holder),
  );
  const bought = await client('platform2').trades.buy(listing.listingId, cast.racer, 400, keyOf(cast.racer));
  trades.push(bought.trade);
  tables.push(
    await snapshot(assetId, (t) => {
      expect(unitsOf(t)[cast.holder]).toBeUndefined();
    }),
  );
}

beforeAll(async () => {
  for (const [org, identity] of [
    ['registry', 'auditor'],
    ['platform1', 'app'],
    ['platform2', 'app'],
  ] as const) {
    clients.set(org, await CrowdLedger.connect({ profile: profilePath(org), identity }));
  }
  auditorConnection = await connectAs('registry', 'auditor');
  await registerAsset();
  await issueCertificates();
  const listingId = await sellFromListing();
  await race(listingId);
  await holderSellsOut();
});

afterAll(() => {
  for (const c of clients.values()) {
    c.close();
  }
  auditorConnection.close();
});

describe('the cap table as of a block (R14)', () => {
  it('went through the states the test meant, one racing purchase refused by Fabric', () => {
    expect(tables).toHaveLength(5);
    expect([...raceCodes].sort()).toEqual([StatusCode.VALID, StatusCode.MVCC_READ_CONFLICT].sort());
    const last = tables[4];
    expect(last === undefined ? {} : unitsOf(last)).toEqual({
      [cast.seller]: 540,
      [cast.buyer]: trades[2]?.buyerId === cast.buyer ? 40 : 30,
      [cast.local]: 20,
      [cast.racer]: trades[2]?.buyerId === cast.racer ? 410 : 400,
    });
    expect(last?.holders.find((h) => h.holding.userId === cast.seller)?.holding.escrowed).toBe(40);
  });

  it("gives the SDK's chainHeight() as qscc does on the same peer", async () => {
    await eventually(async () => {
      expect(await client('registry').chainHeight()).toBe(await height());
    });
  });

  it('rebuilt from the blocks equals the table read when that block was the newest', async () => {
    for (const recorded of tables) {
      const rebuilt = await client('registry').assets.capTableAt(assetId, recorded.blockNumber);
      expect(rebuilt).toEqual(recorded);
    }
  });

  it('keeps the holder who sold out only in the blocks before, with her certificate revoked after', async () => {
    const [, issued, , , soldOut] = tables;
    const holderBefore = issued?.holders.find((h) => h.holding.userId === cast.holder);
    expect(holderBefore?.certificate?.status).toBe('ACTIVE');
    const after = await client('registry').assets.capTableAt(assetId, soldOut?.blockNumber ?? 0n);
    expect(after.holders.map((h) => h.holding.userId)).not.toContain(cast.holder);
    const record = await client('registry').certificates.get(assetId, cast.holder);
    expect(record.serial).toBe(holderBefore?.certificate?.serial);
    expect(record.status).toBe('REVOKED');
  });

  it('is printed by the CLI with --json, block by block', async () => {
    for (const recorded of tables) {
      const { stdout } = await runCli([
        'assets',
        'holders',
        assetId,
        '--at-block',
        recorded.blockNumber.toString(),
        '--json',
      ]);
      expect(JSON.parse(stdout)).toEqual({
        assetId,
        totalUnits: 1000,
        atBlock: Number(recorded.blockNumber),
        holders: capTableAtRows(recorded),
      });
    }
  });

  it('exits non-zero with a sentence for a block beyond the chain or before the asset', async () => {
    const beyond = (await height()) + 1000n;
    await expect(
      runCli(['assets', 'holders', assetId, '--at-block', beyond.toString()]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `error: BLOCK_OUT_OF_RANGE: block ${beyond.toString()} is beyond the chain`,
      ) as unknown,
    });
    const before = (tables[0]?.blockNumber ?? 1n) - 1n;
    await expect(
      runCli(['assets', 'holders', assetId, '--at-block', before.toString()]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `error: ASSET_NOT_FOUND: no asset ${assetId} existed at block ${before.toString()}`,
      ) as unknown,
    });
    await expect(runCli(['assets', 'holders', assetId, '--at-block', '12abc'])).rejects.toMatchObject({
      code: 1,
    });
  });
});

async function allPages(
  read: (bookmark: string) => Promise<{ records: readonly Trade[]; bookmark: string }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let bookmark = ''; ;) {
    const page = await read(bookmark);
    ids.push(...page.records.map((t) => t.tradeId));
    if (page.bookmark === '') {
      return ids;
    }
    bookmark = page.bookmark;
  }
}

/** The same instant written with a +08:00 offset. */
function inBeijing(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 23)}+08:00`;
}

describe("trades by user and by asset, and a user's history, through the CLI (R14)", () => {
  const tradeIds = (csv: string): string[] =>
    csv
      .split('\r\n')
      .slice(1)
      .filter((line) => line !== '')
      .map((line) => line.split(',')[0] ?? '');

  it("lists a user's trades as buyer and as seller, as the SDK reads them", async () => {
    const first = trades[0];
    if (first === undefined) {
      throw new Error('no trades were made');
    }
    for (const userId of [first.buyerId, first.sellerId]) {
      const { stdout } = await runCli(['trades', 'list', '--user', userId, '--json']);
      const listed = (JSON.parse(stdout) as Trade[]).map((t) => t.tradeId);
      const expected = (await client('registry').trades.byUser(userId, { pageSize: 100 })).records;
      expect(listed).toEqual(expected.map((t) => t.tradeId));
      expect(listed).toContain(first.tradeId);
      for (const t of expected) {
        expect([t.buyerId, t.sellerId]).toContain(userId);
      }
    }
  });

  it("exports an asset's trades as CSV, one record per trade", async () => {
    const assetId = trades[0]?.assetId ?? '';
    const { stdout } = await runCli(['trades', 'list', '--asset', assetId, '--csv']);
    expect(stdout.split('\r\n')[0]).toBe(
      'trade,via,asset,seller,buyer,units,price_per_unit,amount,executed_at',
    );
    const expected = (await client('registry').trades.byAsset(assetId, { pageSize: 100 })).records;
    expect(tradeIds(stdout)).toEqual(expected.map((t) => t.tradeId));
    expect(tradeIds(stdout)).toEqual(expect.arrayContaining(trades.map((t) => t.tradeId)));
  });

  it("prints a user's history, and exports it", async () => {
    const userId = trades[0]?.buyerId ?? '';
    const json = await runCli(['audit', 'history', 'user', userId, '--json']);
    const entries = JSON.parse(json.stdout) as { value: { userId: string; platform: string } | null }[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.at(-1)?.value).toMatchObject({ userId, platform: 'Platform2MSP' });
    const table = await runCli(['audit', 'history', 'user', userId]);
    expect(table.stdout).toMatch(/write\s+ACTIVE on Platform2MSP/);
    const csv = await runCli(['audit', 'history', 'user', userId, '--csv']);
    expect(csv.stdout.split('\r\n').filter((l) => l !== '')).toHaveLength(entries.length + 1);
  });
});

describe('trades by platform and by time range (R14)', () => {
  const id = (i: number): string => trades[i]?.tradeId ?? `missing trade ${String(i)}`;
  const at = (i: number): string => trades[i]?.executedAt ?? '';

  it('were made in time order: P2 buys, P1 buys, the race winner (P2), the sell-out (P2)', () => {
    expect(trades.map((t) => `${t.sellerPlatform}→${t.buyerPlatform}`)).toEqual([
      'Platform1MSP→Platform2MSP',
      'Platform1MSP→Platform1MSP',
      'Platform1MSP→Platform2MSP',
      'Platform1MSP→Platform2MSP',
    ]);
    expect([...trades.map((t) => t.executedAt)].sort()).toEqual(trades.map((t) => t.executedAt));
  });

  it('lists exactly the platform’s trades, seller or buyer side, in time order, page by page', async () => {
    const trades1 = client('registry').trades;
    const p1 = await allPages((bookmark) =>
      trades1.byPlatform('Platform1MSP', { from: at(0) }, { pageSize: 1, bookmark }),
    );
    expect(p1).toEqual([id(0), id(1), id(2), id(3)]);
    const p2 = await allPages((bookmark) =>
      trades1.byPlatform('Platform2MSP', { from: at(0) }, { pageSize: 2, bookmark }),
    );
    expect(p2).toEqual([id(0), id(2), id(3)]);
    const p2Window = await trades1.byPlatform('Platform2MSP', { from: at(0), to: at(3) });
    expect(p2Window.records.map((t) => t.tradeId)).toEqual([id(0), id(2)]);
  });

  it('lists exactly the trades in [from, to), from any platform', async () => {
    const reader = client('platform2').trades;
    const window = await reader.byTime({ from: at(1), to: at(3) });
    expect(window.records.map((t) => t.tradeId)).toEqual([id(1), id(2)]);
    const fromOffset = await reader.byTime({ from: inBeijing(at(1)), to: new Date(Date.parse(at(3)) + 1) });
    expect(fromOffset.records.map((t) => t.tradeId)).toEqual([id(1), id(2), id(3)]);
    await expect(reader.byTime({ from: at(3), to: at(1) })).rejects.toMatchObject({
      code: 'TIME_RANGE_INVALID',
    });
  });

  it('are listed by the CLI, and a bad range exits non-zero with a sentence', async () => {
    const { stdout } = await runCli([
      'trades',
      'list',
      '--platform',
      'Platform2MSP',
      '--from',
      inBeijing(at(0)),
      '--to',
      at(3),
      '--json',
    ]);
    expect((JSON.parse(stdout) as Trade[]).map((t) => t.tradeId)).toEqual([id(0), id(2)]);
    await expect(runCli(['trades', 'list', '--from', at(3), '--to', at(0)])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('error: TIME_RANGE_INVALID: from (') as unknown,
    });
    const window = await runCli(['trades', 'list', '--from', at(1), '--to', at(3), '--json']);
    expect((JSON.parse(window.stdout) as Trade[]).map((t) => t.tradeId)).toEqual([id(1), id(2)]);
    await expect(runCli(['trades', 'list', '--from', '2025-01-01'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'error: TIME_RANGE_INVALID: from must be an ISO-8601 instant',
      ) as unknown,
    });
  });
});
