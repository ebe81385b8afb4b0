import type { RawBlock } from './block';
import { type BadBlock, ChainChecker, type NodeKind } from './check';
import { ConsentChecker, type ConsentSummary } from './consents';
import { CrossNodeComparison, laggingNodes, type Mismatch, type NodeBlock } from './compare';

/** One node's chain as a stream of blocks, read lazily when the verification starts. */
export interface NodeChain {
  readonly name: string;
  readonly kind: NodeKind;
  readonly org: string;
  blocks(): AsyncIterable<RawBlock>;
}

export type BlockSource = 'deliver' | 'files';

export interface VerifyOptions {
  readonly channel: string;
  readonly source: BlockSource;
  /** How far (in blocks) a node may trail the highest one before it counts as a failure. */
  readonly maxLag: number;
  /** A progress line every this many block numbers; 0 for none. */
  readonly progressEvery: number;
  readonly onProgress?: (line: string) => void;
  readonly now?: () => number;
  /**
   * Also re-check every user's signed request on each peer's chain (R7),
   * for the chaincode of this name. Orderers keep no validation flags, so
   * which transactions took effect is known on peers only.
   */
  readonly consents?: { readonly chaincode: string };
}

export interface NodeResult {
  readonly name: string;
  readonly kind: NodeKind;
  readonly org: string;
  readonly ok: boolean;
  readonly height: number;
  readonly lastHeaderHash: string | null;
  readonly badBlocks: number;
  readonly firstBad: BadBlock | null;
  /** Blocks this node trails the highest node by. */
  readonly behind: number;
  /** Block numbers where this node differs from the others, first few. */
  readonly mismatchedBlocks: readonly string[];
  /** Transactions per validation code (peers; orderers keep no flags). */
  readonly transactions: Readonly<Record<string, number>>;
  /** With `consents`, on peers: the signed requests re-checked, and those that failed. */
  readonly consents?: ConsentSummary;
}

export interface VerifyReport {
  readonly channel: string;
  readonly source: BlockSource;
  readonly ok: boolean;
  readonly nodes: readonly NodeResult[];
  readonly blocksChecked: number;
  readonly blocksCompared: number;
  readonly mismatches: readonly Mismatch[];
  readonly mismatchTotal: number;
  readonly maxLag: number;
  readonly elapsedMs: number;
  readonly blocksPerSecond: number;
}

interface NodeState {
  readonly chain: NodeChain;
  readonly checker: ChainChecker;
  readonly consents: ConsentChecker | undefined;
  readonly iterator: AsyncIterator<RawBlock>;
  done: boolean;
}

function nodeState(chain: NodeChain, options: VerifyOptions): NodeState {
  const consents = options.consents !== undefined && chain.kind === 'peer';
  return {
    chain,
    checker: new ChainChecker(chain.kind),
    consents: consents ? new ConsentChecker(options.consents.chaincode) : undefined,
    iterator: chain.blocks()[Symbol.asyncIterator](),
    done: false,
  };
}

async function nextBlock(state: NodeState): Promise<RawBlock | undefined> {
  try {
    const result = await state.iterator.next();
    if (result.done === true) {
      state.done = true;
      return undefined;
    }
    return result.value;
  } catch (error) {
    state.done = true;
    state.checker.fail(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/**
 * Reads every node's chain in step, block number by block number: each block
 * is checked on its own node (number, data hash, previous hash, orderer
 * signatures, validation flags) and compared across the nodes that have it.
 * Memory stays flat: per node only the checker's running state.
 */
export async function verifyChains(
  chains: readonly NodeChain[],
  options: VerifyOptions,
): Promise<VerifyReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const states = chains.map((chain) => nodeState(chain, options));
  const comparison = new CrossNodeComparison();
  let checked = 0;
  for (let position = 0n; states.some((s) => !s.done); position++) {
    const active = states.filter((s) => !s.done);
    const blocks = await Promise.all(active.map(nextBlock));
    const seen: NodeBlock[] = [];
    active.forEach((state, i) => {
      const block = blocks[i];
      if (block !== undefined) {
        seen.push({ node: state.chain.name, outcome: state.checker.check(block) });
        state.consents?.check(block);
      }
    });
    checked += seen.length;
    comparison.compare(position, seen);
    if (
      options.progressEvery > 0 &&
      seen.length > 0 &&
      (position + 1n) % BigInt(options.progressEvery) === 0n
    ) {
      options.onProgress?.(progressLine(position, checked, seen.length, now() - started));
    }
  }
  return report(states, comparison, options, checked, now() - started);
}

function progressLine(position: bigint, checked: number, nodes: number, elapsedMs: number): string {
  return (
    `verified up to block ${position.toString()} on ${String(nodes)} nodes: ` +
    `${String(checked)} blocks, ${String(rate(checked, elapsedMs))} blocks/s`
  );
}

function rate(blocks: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? blocks : Math.round((blocks * 1000) / elapsedMs);
}

function report(
  states: readonly NodeState[],
  comparison: CrossNodeComparison,
  options: VerifyOptions,
  checked: number,
  elapsedMs: number,
): VerifyReport {
  const heights = new Map(states.map((s) => [s.chain.name, s.checker.height]));
  const lagging = new Map(laggingNodes(heights, options.maxLag).map((l) => [l.node, l.behind]));
  const top = [...heights.values()].reduce((max, h) => (h > max ? h : max), 0n);
  const nodes = states.map((state) => nodeResult(state, comparison, lagging.has(state.chain.name), top));
  return {
    channel: options.channel,
    source: options.source,
    ok: nodes.length > 0 && nodes.every((n) => n.ok) && comparison.total === 0,
    nodes,
    blocksChecked: checked,
    blocksCompared: comparison.blocksCompared,
    mismatches: comparison.mismatches,
    mismatchTotal: comparison.total,
    maxLag: options.maxLag,
    elapsedMs: Math.round(elapsedMs),
    blocksPerSecond: rate(checked, elapsedMs),
  };
}

function consentsHold(consents: ConsentSummary | undefined): boolean {
  return consents === undefined || consents.failures.length === 0;
}

function nodeResult(
  state: NodeState,
  comparison: CrossNodeComparison,
  lagging: boolean,
  top: bigint,
): NodeResult {
  const { chain, checker } = state;
  const consents = state.consents?.summary();
  const withConsents = consents === undefined ? {} : { consents };
  const mismatchedBlocks = [
    ...new Set(comparison.mismatches.filter((m) => m.nodes.includes(chain.name)).map((m) => m.block)),
  ];
  return {
    name: chain.name,
    kind: chain.kind,
    org: chain.org,
    ok: [checker.badBlocks === 0, !lagging, mismatchedBlocks.length === 0, consentsHold(consents)].every(
      Boolean,
    ),
    height: Number(checker.height),
    lastHeaderHash: checker.lastHeaderHash ?? null,
    badBlocks: checker.badBlocks,
    firstBad: checker.firstBad ?? null,
    behind: Number(top - checker.height),
    mismatchedBlocks: mismatchedBlocks.slice(0, 10),
    transactions: checker.transactionCounts(),
    ...withConsents,
  };
}
