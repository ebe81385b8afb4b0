import { allPages, type CrowdLedgerClient, type Page, type Trade, type TradesApi } from '@crowdledger/client';
import { CliError } from '../errors';
import { tradeReader } from './trades';

const EMPTY = { records: [], bookmark: '', fetched: 0 };

/** A client whose trades group records each read as [method, ...arguments]. */
function recordingClient(): { client: CrowdLedgerClient; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]): Promise<typeof EMPTY> => {
      calls.push([name, ...args]);
      return Promise.resolve(EMPTY);
    };
  const trades: Pick<TradesApi, 'byAsset' | 'byUser' | 'byPlatform' | 'byTime'> = {
    byAsset: record('byAsset'),
    byUser: record('byUser'),
    byPlatform: record('byPlatform'),
    byTime: record('byTime'),
  };
  // Only the trades group is read by tradeReader.
  return { client: { trades } as unknown as CrowdLedgerClient, calls };
}

describe('trades list options', () => {
  it.each([
    [{ asset: 'A1' }, ['byAsset', 'A1', { bookmark: 'b' }]],
    [{ user: 'U1' }, ['byUser', 'U1', { bookmark: 'b' }]],
    [{ platform: 'Platform2MSP' }, ['byPlatform', 'Platform2MSP', {}, { bookmark: 'b' }]],
    [
      { platform: 'Platform1MSP', from: '2025-01-01T00:00:00Z' },
      ['byPlatform', 'Platform1MSP', { from: '2025-01-01T00:00:00Z' }, { bookmark: 'b' }],
    ],
    [{ to: '2025-02-01T00:00:00+08:00' }, ['byTime', { to: '2025-02-01T00:00:00+08:00' }, { bookmark: 'b' }]],
    [
      { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' },
      ['byTime', { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' }, { bookmark: 'b' }],
    ],
  ])('%j reads %j', async (options, expected) => {
    const { client, calls } = recordingClient();
    await tradeReader({ org: 'registry', ...options })(client, { bookmark: 'b' });
    expect(calls).toEqual([expected]);
  });

  it('asks for a selection when none is given', () => {
    expect(() => tradeReader({ org: 'registry' })).toThrow(CliError);
    expect(() => tradeReader({ org: 'registry' })).toThrow(
      'give --asset <assetId>, --user <userId>, --platform <mspId> or --from/--to <instant>',
    );
  });
});

describe('trades list paging', () => {
  it("walks every page with the SDK's allPages until the bookmark is empty", async () => {
    const trade = { tradeId: 'T1' } as Trade;
    const pages: Page<Trade>[] = [
      { records: [trade], bookmark: 'k1', fetched: 1 },
      { records: [trade], bookmark: '', fetched: 1 },
    ];
    const calls: unknown[] = [];
    const trades: Pick<TradesApi, 'byAsset'> = {
      byAsset: (_assetId, page) => {
        calls.push(page);
        return Promise.resolve(pages[calls.length - 1] ?? EMPTY);
      },
    };
    const client = { trades } as unknown as CrowdLedgerClient;
    const read = tradeReader({ org: 'registry', asset: 'A1' });
    const found: Trade[] = [];
    for await (const t of allPages((page) => read(client, page))) {
      found.push(t);
    }
    expect(found).toHaveLength(2);
    expect(calls).toEqual([
      { pageSize: 100, bookmark: '' },
      { pageSize: 100, bookmark: 'k1' },
    ]);
  });
});
