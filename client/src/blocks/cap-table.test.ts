import { peer } from '@hyperledger/fabric-protos';
import { makeTestPki } from '../../../chaincode/src/testing/pki';
import { buy, createListing } from '../../../chaincode/src/testing/trading';
import { ALICE, CAROL, FUND, HOLDER_CERTS, World } from '../../../chaincode/src/testing/world';
import { ck, madeBlock, type MadeWrite } from '../testing/blocks';
import { FakeContext } from '../testing/fake-gateway';
import { compositeKey } from '@crowdledger/protocol';
import { CapTableReplay } from './cap-table';
import { readCapTableAt } from './read';

const text = new TextDecoder();

describe('CapTableReplay over the chaincode’s own writes', () => {
  /** The JSON of every public record under a composite-key prefix in the fake stub's state. */
  function stateUnder(world: World, ...parts: string[]): unknown[] {
    const prefix = compositeKey(parts[0] ?? '', parts.slice(1));
    return [...world.stub.state.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, value]) => JSON.parse(text.decode(value)) as unknown);
  }

  /** Registration, Alice's certificate, her listing and Carol's purchase, through the contracts. */
  async function tradedWorld(): Promise<World> {
    const pki = makeTestPki(HOLDER_CERTS);
    const world = new World(pki);
    await world.trading();
    await world.recordCertificate('platform1', FUND, ALICE, pki.holders['alice'] ?? '');
    const listing = await createListing(world);
    await buy(world, listing.listingId, CAROL, 4);
    return world;
  }

  it('ends in the state the contracts left: registration, a certificate, a listing and a trade', async () => {
    const world = await tradedWorld();
    const replay = new CapTableReplay(FUND);
    for (const write of world.stub.writes.filter((w) => w.collection === '')) {
      replay.apply({ key: write.key, value: write.value, isDelete: write.deleted === true });
    }
    const table = replay.capTable(12n);
    if (table === undefined) {
      throw new Error('the replay saw no asset');
    }
    expect(table.blockNumber).toBe(12n);
    expect(table.asset).toEqual(stateUnder(world, 'asset', FUND)[0]);
    expect(table.holders.map((h) => h.holding)).toEqual(stateUnder(world, 'holding', FUND));
    expect(table.holders.map((h) => h.holding.userId)).toContain(CAROL);
    const certificates = table.holders.flatMap((h) => (h.certificate === undefined ? [] : [h.certificate]));
    expect(certificates).toEqual(stateUnder(world, 'certificate', FUND));
    expect(certificates).toHaveLength(1);
  });
});

const A1 = `A${'1'.repeat(32)}`;
const A2 = `A${'2'.repeat(32)}`;
const [U1, U2, U3] = ['1', '2', '3'].map((d) => `U${d.repeat(32)}`) as [string, string, string];

const asset = {
  assetId: A1,
  platform: 'Platform1MSP',
  attributes: { name: 'fund', category: 'FUND', description: 'd', currency: 'CNY', documents: [] },
  rights: {
    voting: { enabled: false, votesPerUnit: 0 },
    dividend: { enabled: false, policy: '' },
    otherTerms: [],
  },
  totalUnits: 100,
  registeredAt: '2025-01-01T00:00:00.000Z',
  status: 'ACTIVE',
};

function holding(userId: string, units: number, certificate = 'DUE', assetId = A1): MadeWrite {
  const value = JSON.stringify({ assetId, userId, units, escrowed: 0, certificate });
  return { key: ck('holding', assetId, userId), value };
}

function record(userId: string, status: 'ACTIVE' | 'REVOKED'): MadeWrite {
  const revoked =
    status === 'REVOKED' ? { revokedAt: '2025-01-03T00:00:00.000Z', revocationReason: 'sold out' } : {};
  const value = {
    assetId: A1,
    holderId: userId,
    enrollmentId: 'holder-0000000000000000000000000000000000000000',
    serial: '0A1B',
    issuer: 'CN=asset-ca',
    fingerprint: 'f'.repeat(64),
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2026-01-01T00:00:00.000Z',
    status,
    recordedAt: '2025-01-02T00:00:00.000Z',
    ...revoked,
  };
  return { key: ck('certificate', A1, userId), value: JSON.stringify(value) };
}

/** 0 config; 1 A1 registered 60/40; 2 U1's certificate, and a conflicting (invalid) grab; 3 U1 sells out to U3; 4 another asset. */
function chain(): FakeContext {
  const context = new FakeContext('RegistryMSP', () => new Uint8Array());
  const ns = context.chaincode;
  context.network.blocks = [
    madeBlock(0, [{ txId: 'genesis', type: 1 }]),
    madeBlock(1, [
      {
        txId: 'register',
        writes: {
          [ns]: [{ key: ck('asset', A1), value: JSON.stringify(asset) }, holding(U1, 60), holding(U2, 40)],
        },
      },
    ]),
    madeBlock(2, [
      { txId: 'record', writes: { [ns]: [record(U1, 'ACTIVE'), holding(U1, 60, 'ISSUED')] } },
      {
        txId: 'grab',
        code: peer.TxValidationCode.MVCC_READ_CONFLICT,
        writes: { [ns]: [holding(U2, 100), { key: ck('holding', A1, U1) }] },
      },
    ]),
    madeBlock(3, [
      {
        txId: 'trade',
        writes: { [ns]: [{ key: ck('holding', A1, U1) }, record(U1, 'REVOKED'), holding(U3, 60)] },
      },
    ]),
    madeBlock(4, [{ txId: 'other', writes: { [ns]: [holding(U1, 5, 'DUE', A2)] } }]),
  ];
  context.height = 5n;
  return context;
}

const units = (table: { holders: readonly { holding: { userId: string; units: number } }[] }): string[] =>
  table.holders.map((h) => `${h.holding.userId.slice(0, 2)}:${String(h.holding.units)}`);

describe('readCapTableAt', () => {
  it('rebuilds the table as of each block, skipping invalid transactions', async () => {
    const context = chain();
    expect(units(await readCapTableAt(context, A1, 1))).toEqual(['U1:60', 'U2:40']);
    const second = await readCapTableAt(context, A1, 2n);
    expect(units(second)).toEqual(['U1:60', 'U2:40']);
    expect(second.holders[0]?.holding.certificate).toBe('ISSUED');
    expect(second.holders[0]?.certificate).toMatchObject({ serial: '0A1B', status: 'ACTIVE' });
    expect(second.holders[1]?.certificate).toBeUndefined();
    const third = await readCapTableAt(context, A1, 3n);
    expect(units(third)).toEqual(['U2:40', 'U3:60']);
    expect(units(await readCapTableAt(context, A1, 4n))).toEqual(['U2:40', 'U3:60']);
    expect(third.asset).toEqual(asset);
    expect(third.blockNumber).toBe(3n);
  });

  it('stops at the block asked for, reports progress and closes the stream', async () => {
    const context = chain();
    const seen: string[] = [];
    await readCapTableAt(context, A1, 2n, {
      onProgress: (p) => seen.push(`${p.blockNumber.toString()}/${p.lastBlock.toString()}`),
    });
    expect(seen).toEqual(['0/2', '1/2', '2/2']);
    expect(context.network.openBlockStreams).toBe(0);
  });

  it('says when the asset did not exist yet at that block', async () => {
    await expect(readCapTableAt(chain(), A1, 0n)).rejects.toMatchObject({
      code: 'ASSET_NOT_FOUND',
      sentence: `no asset ${A1} existed at block 0`,
    });
    await expect(readCapTableAt(chain(), A2, 4n)).rejects.toMatchObject({ code: 'ASSET_NOT_FOUND' });
  });

  it('refuses a block beyond the newest, or not a whole number, before reading any', async () => {
    const context = chain();
    await expect(readCapTableAt(context, A1, 5n)).rejects.toMatchObject({
      code: 'BLOCK_OUT_OF_RANGE',
      sentence: 'block 5 is beyond the chain: its height is 5, so the newest block is 4',
    });
    await expect(readCapTableAt(context, A1, -1)).rejects.toMatchObject({ code: 'BLOCK_OUT_OF_RANGE' });
    await expect(readCapTableAt(context, A1, 1.5)).rejects.toMatchObject({ code: 'BLOCK_OUT_OF_RANGE' });
    expect(context.network.opened + context.network.openBlockStreams).toBe(0);
  });

  it('turns a refused block stream into a CrowdLedgerError', async () => {
    const context = chain();
    context.network.getBlockEvents = () => Promise.reject(new Error('access denied'));
    await expect(readCapTableAt(context, A1, 1n)).rejects.toMatchObject({
      name: 'CrowdLedgerError',
      sentence: 'access denied',
    });
  });

  it('refuses a stream that skips a block', async () => {
    const context = chain();
    context.network.blocks = context.network.blocks.filter((b) => b.getHeader()?.getNumber() !== 1);
    await expect(readCapTableAt(context, A1, 3n)).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      sentence: 'the peer sent block 2 where block 1 was due',
    });
    expect(context.network.openBlockStreams).toBe(0);
  });
});
