import type { CapTableEntry, CrowdLedgerClient } from '@crowdledger/client';
import { CAP_TABLE_AT_HEAD, capTableAtCells, capTableAtRows } from './cap-table-rows';
import { type OutputSink, streamCapTable } from './cap-table-stream';
import type { Format } from '../output';
import { formatJson, formatTable } from '../output';

const ASSET = `A${'1'.repeat(32)}`;

function entry(n: number, serial?: string): CapTableEntry {
  const userId = `U${n.toString(16).padStart(32, '0')}`;
  return {
    holding: {
      assetId: ASSET,
      userId,
      units: 1 + (n % 97),
      escrowed: n % 3,
      certificate: serial === undefined ? 'DUE' : 'ISSUED',
    },
    ...(serial === undefined
      ? {}
      : {
          certificate: {
            assetId: ASSET,
            holderId: userId,
            enrollmentId: 'holder-x',
            serial,
            issuer: 'CN=ca',
            fingerprint: 'f',
            notBefore: 'T',
            notAfter: 'T',
            status: 'ACTIVE',
            recordedAt: 'T',
          },
        }),
  };
}

/**
 * A register of `count` holders served a page of 1,000 at a time, as the
 * SDK's allCapTable does; `asked` records, as each page is asked for, how
 * many holders the sink had been given by then.
 */
function register(count: number, total = 1_000_000) {
  const entries = Array.from({ length: count }, (_, i) => entry(i, i % 10 === 1 ? '3A9F01' : undefined));
  const writes: string[] = [];
  const asked: number[] = [];
  const holdersWritten = (): number => (writes.join('').match(/U0{20}/g) ?? []).length;
  async function* allCapTable(): AsyncGenerator<CapTableEntry> {
    for (let from = 0; from < entries.length; from += 1_000) {
      asked.push(holdersWritten());
      await Promise.resolve(); // a page is a round trip: never synchronous
      yield* entries.slice(from, from + 1_000);
    }
  }
  const client = {
    assets: {
      get: () => Promise.resolve({ assetId: ASSET, totalUnits: total }),
      allCapTable,
    },
  } as unknown as Pick<CrowdLedgerClient, 'assets'>;
  const sink: OutputSink = {
    write: (text) => {
      writes.push(text);
      return true;
    },
    once: () => sink,
  };
  return { entries, writes, asked, client, sink, text: () => writes.join('') };
}

describe('streamCapTable', () => {
  it.each<Format>(['table', 'json', 'csv'])(
    'writes %s rows of each page before the next page is asked for, never two pages in one write',
    async (format) => {
      const r = register(5_500);
      expect(await streamCapTable(r.client, ASSET, format, r.sink)).toBe(5_500);
      expect(r.asked).toHaveLength(6);
      // The last page is asked for once the first five are out: at least 5,000 holder lines.
      expect(r.asked[5]).toBeGreaterThanOrEqual(5_000);
      expect(r.asked[1]).toBeGreaterThanOrEqual(1_000);
      const holderLines = r.writes.map((w) => (w.match(/U0{20}/g) ?? []).length);
      expect(Math.max(...holderLines)).toBe(1_000);
      expect(holderLines.filter((n) => n > 0)).toHaveLength(6);
    },
  );

  it('prints JSON identical to the whole document --json printed before it streamed', async () => {
    for (const count of [0, 3, 2_500]) {
      const r = register(count, 1_000_000);
      await streamCapTable(r.client, ASSET, 'json', r.sink);
      const rows = capTableAtRows({ holders: r.entries, asset: { totalUnits: 1_000_000 } });
      expect(r.text()).toBe(`${formatJson({ assetId: ASSET, totalUnits: 1_000_000, holders: rows })}\n`);
    }
  });

  it('prints a table whose every page lines up with the header, as formatTable lays one out', async () => {
    const r = register(2_500, 99_999);
    await streamCapTable(r.client, ASSET, 'table', r.sink);
    const lines = r.text().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2_501);
    expect(lines[0]).toMatch(/^holder\s+units\s+share %\s+in escrow\s+certificate\s+serial\s+record$/);
    const header = lines[0] ?? '';
    const starts = CAP_TABLE_AT_HEAD.map((h) => header.indexOf(h));
    // Each cell begins where its header does, two spaces after the column before.
    const inPlace = (line: string, columns: readonly number[]): boolean =>
      columns.every((c) => {
        const at = starts[c] ?? -1;
        return line.slice(at - 2, at) === '  ' && line[at] !== ' ' && line[at] !== undefined;
      });
    // A DUE holder's line on the third page: five cells, no certificate record.
    expect(inPlace(lines[2_000] ?? '', [1, 2, 3, 4])).toBe(true);
    // An ISSUED holder's line on the last page: all seven.
    const issued = lines[2_002] ?? '';
    expect(issued).toContain('3A9F01');
    expect(inPlace(issued, [1, 2, 3, 4, 5, 6])).toBe(true);
    expect(inPlace(issued.replace('3A9F01', '3A9F01FF'), [6])).toBe(false);
    // One page alone comes out as formatTable would print it, when the widths agree.
    const small = register(3, 99);
    await streamCapTable(small.client, ASSET, 'table', small.sink);
    const rows = capTableAtCells(capTableAtRows({ holders: small.entries, asset: { totalUnits: 99 } }));
    expect(small.text()).toBe(`${formatTable([...CAP_TABLE_AT_HEAD], rows)}\n`);
  });

  it('prints the header alone for an asset with no holders, and nothing at all for an unknown asset', async () => {
    const r = register(0);
    expect(await streamCapTable(r.client, ASSET, 'table', r.sink)).toBe(0);
    expect(r.text()).toMatch(/^holder\s+units\s+share %\s+in escrow\s+certificate\s+serial\s+record\n$/);
    const writes: string[] = [];
    const missing = {
      assets: {
        get: () => Promise.reject(new Error('ASSET_NOT_FOUND: no asset')),
        allCapTable: () => {
          throw new Error('not asked: the asset is read first');
        },
      },
    } as unknown as Pick<CrowdLedgerClient, 'assets'>;
    const sink: OutputSink = { write: (t) => writes.push(t) > 0, once: () => sink };
    await expect(streamCapTable(missing, ASSET, 'json', sink)).rejects.toThrow('ASSET_NOT_FOUND');
    expect(writes).toEqual([]);
  });

  it('writes the CSV header and each page as it comes, waiting for the sink to drain', async () => {
    const entries = Array.from({ length: 2500 }, (_, i) => entry(i, i === 1 ? '0A' : undefined));
    const writes: string[] = [];
    let drains = 0;
    const sink: OutputSink = {
      write: (text) => {
        writes.push(text);
        return writes.length % 2 === 0; // full every other write
      },
      once: (_event, listener) => {
        drains += 1;
        listener();
        return sink;
      },
    };
    function* lines(): Generator<CapTableEntry> {
      yield* entries;
    }
    const client = {
      assets: { get: () => Promise.resolve({ assetId: ASSET, totalUnits: 2500 }), allCapTable: lines },
    } as unknown as Pick<CrowdLedgerClient, 'assets'>;
    expect(await streamCapTable(client, ASSET, 'csv', sink)).toBe(2500);
    // Header, then pages of 1,000, 1,000 and 500: never the whole table in one write.
    expect(writes.map((w) => w.split('\r\n').length - 1)).toEqual([1, 1000, 1000, 500]);
    expect(writes[0]).toBe(
      'holder,units,share_percent,escrowed,certificate,certificate_serial,certificate_status\r\n',
    );
    expect(writes[1]?.split('\r\n')[1]).toBe(`${entries[1]?.holding.userId ?? ''},2,0.08,1,ISSUED,0A,ACTIVE`);
    expect(drains).toBe(2);
  });
});
