import { flipDataByte, makeChain, makePki, nth, type TestPki } from '../testing/ledger-chain';
import type { RawBlock } from './block';
import type { BlockOutcome } from './check';
import { compareField, CrossNodeComparison, laggingNodes } from './compare';
import { describeMismatch, formatReport, invalidCount, validCount } from './report';
import { type NodeChain, verifyChains, type VerifyOptions } from './verify';

function outcome(fields: Partial<BlockOutcome>): BlockOutcome {
  return {
    number: 0n,
    headerHash: 'h',
    contentHash: 'c',
    validationFlags: undefined,
    commitHash: undefined,
    problems: [],
    ...fields,
  };
}

describe('compareField', () => {
  it('finds nothing when every node agrees, ignoring nodes without the field', () => {
    const seen = [
      { node: 'a', outcome: outcome({ validationFlags: '00' }) },
      { node: 'b', outcome: outcome({ validationFlags: '00' }) },
      { node: 'orderer', outcome: outcome({}) },
    ];
    expect(compareField(3n, 'validationFlags', seen)).toBeUndefined();
  });

  it('names the odd node out against the majority', () => {
    const seen = ['a', 'b', 'c'].map((node) => ({
      node,
      outcome: outcome({ contentHash: node === 'b' ? 'tampered' : 'good' }),
    }));
    expect(compareField(7n, 'contentHash', seen)).toEqual({
      block: '7',
      field: 'contentHash',
      nodes: ['b'],
      groups: [
        { value: 'good', nodes: ['a', 'c'] },
        { value: 'tampered', nodes: ['b'] },
      ],
    });
  });

  it('names every node when there is no majority', () => {
    const seen = ['a', 'b'].map((node) => ({ node, outcome: outcome({ headerHash: node }) }));
    expect(compareField(1n, 'headerHash', seen)?.nodes).toEqual(['a', 'b']);
  });
});

describe('CrossNodeComparison', () => {
  it('compares only blocks seen on two nodes or more and keeps at most 50 mismatches', () => {
    const comparison = new CrossNodeComparison();
    expect(comparison.compare(0n, [{ node: 'a', outcome: outcome({}) }])).toEqual([]);
    for (let i = 0n; i < 60n; i++) {
      comparison.compare(i, [
        { node: 'a', outcome: outcome({ headerHash: 'x' }) },
        { node: 'b', outcome: outcome({ headerHash: 'y' }) },
      ]);
    }
    expect(comparison.blocksCompared).toBe(60);
    expect(comparison.total).toBe(60);
    expect(comparison.mismatches).toHaveLength(50);
  });
});

describe('laggingNodes', () => {
  const heights = new Map([
    ['a', 10n],
    ['b', 10n],
    ['c', 8n],
  ]);
  it.each([
    [0, ['c']],
    [1, ['c']],
    [2, []],
  ])('with max lag %s flags %j', (maxLag, nodes) => {
    expect(laggingNodes(heights, maxLag).map((l) => l.node)).toEqual(nodes);
  });
});

function chainOf(
  name: string,
  blocks: readonly RawBlock[],
  kind: 'peer' | 'orderer' = 'peer',
  failAfter?: number,
): NodeChain {
  return {
    name,
    kind,
    org: 'registry',
    async *blocks() {
      for (const [i, block] of blocks.entries()) {
        if (i === failAfter) {
          throw new Error(`${name}: connection reset`);
        }
        await Promise.resolve();
        yield block;
      }
    },
  };
}

const options: VerifyOptions = { channel: 'crowdledger', source: 'files', maxLag: 0, progressEvery: 0 };

describe('verifyChains', () => {
  let pki: TestPki;
  let chain: RawBlock[];

  beforeAll(async () => {
    pki = await makePki();
    chain = makeChain(pki, 5);
  });

  it('passes identical chains and reports heights, counts and speed', async () => {
    const progress: string[] = [];
    const report = await verifyChains(
      [
        chainOf('peer0.registry', chain),
        chainOf('peer0.platform1', chain),
        chainOf('orderer0.registry', makeChain(pki, 5, { flags: null }), 'orderer'),
      ],
      { ...options, progressEvery: 2, onProgress: (line) => progress.push(line) },
    );
    // The orderer's chain was made separately: same blocks, other signature nonces.
    expect(report.ok).toBe(true);
    expect(report.nodes.map((n) => [n.name, n.height, n.ok])).toEqual([
      ['peer0.registry', 6, true],
      ['peer0.platform1', 6, true],
      ['orderer0.registry', 6, true],
    ]);
    expect(report.blocksChecked).toBe(18);
    expect(report.blocksCompared).toBe(6);
    expect(report.mismatchTotal).toBe(0);
    expect(validCount(nth(report.nodes, 0))).toBe(6);
    expect(invalidCount(nth(report.nodes, 0))).toBe(0);
    expect(progress).toEqual([
      expect.stringMatching(/^verified up to block 1 on 3 nodes: 6 blocks, \d+ blocks\/s$/),
      expect.stringMatching(/^verified up to block 3 on 3 nodes: 12 blocks,/),
      expect.stringMatching(/^verified up to block 5 on 3 nodes: 18 blocks,/),
    ]);
    expect(report.blocksPerSecond).toBeGreaterThan(0);
    expect(formatReport(report)).toMatch(
      /Cross-node: all 6 block numbers agree[\s\S]*Checked 18 blocks in [\d.]+ s \(\d+ blocks\/s\)\nResult: OK$/,
    );
  });

  it('names the node and block whose data was changed, and passes the others', async () => {
    const tampered = [...chain];
    tampered[3] = flipDataByte(nth(chain, 3));
    const report = await verifyChains(
      [
        chainOf('peer0.registry', chain),
        chainOf('peer0.platform2', tampered),
        chainOf('peer0.platform1', chain),
      ],
      options,
    );
    expect(report.ok).toBe(false);
    const bad = report.nodes.filter((n) => !n.ok);
    expect(bad.map((n) => n.name)).toEqual(['peer0.platform2']);
    expect(bad[0]?.firstBad?.block).toBe('3');
    expect(bad[0]?.firstBad?.reasons[0]).toMatch(/^data hash mismatch/);
    expect(bad[0]?.mismatchedBlocks).toEqual(['3']);
    // The header is untouched, so only the data content differs across nodes.
    expect(report.mismatches.map((m) => [m.block, m.field, m.nodes])).toEqual([
      ['3', 'contentHash', ['peer0.platform2']],
    ]);
    expect(describeMismatch(nth(report.mismatches, 0))).toMatch(
      /^block 3: data content hash differs: .* on peer0.platform2$/,
    );
    expect(formatReport(report)).toMatch(
      /peer0\.platform2 +peer +6 +6 +0 +BAD at block 3: data hash mismatch/,
    );
    expect(formatReport(report)).toMatch(/Result: FAILED$/);
  });

  it('reports a node whose stream fails, and one that is behind', async () => {
    const report = await verifyChains(
      [
        chainOf('peer0.registry', chain),
        chainOf('peer0.platform1', chain, 'peer', 2),
        chainOf('orderer0.registry', chain.slice(0, 5), 'orderer'),
      ],
      options,
    );
    expect(report.ok).toBe(false);
    const byName = new Map(report.nodes.map((n) => [n.name, n]));
    expect(byName.get('peer0.platform1')?.firstBad).toEqual({
      block: '2',
      reasons: ['peer0.platform1: connection reset'],
    });
    expect(byName.get('peer0.platform1')?.height).toBe(2);
    expect(byName.get('orderer0.registry')?.behind).toBe(1);
    expect(byName.get('orderer0.registry')?.ok).toBe(false);
    expect(formatReport(report)).toMatch(/orderer0\.registry +orderer +5 +- +- +BEHIND by 1 blocks/);
    const lenient = await verifyChains(
      [chainOf('peer0.registry', chain), chainOf('orderer0.registry', chain.slice(0, 5), 'orderer')],
      { ...options, maxLag: 1 },
    );
    expect(lenient.ok).toBe(true);
  });

  it('is not ok with no node at all', async () => {
    expect((await verifyChains([], options)).ok).toBe(false);
  });
});
