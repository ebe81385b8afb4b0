import type { BlockOutcome } from './check';

/** The fields every node must agree on for a given block number. */
export const COMPARED_FIELDS = {
  headerHash: 'header hash',
  contentHash: 'data content hash',
  validationFlags: 'validation flags',
  commitHash: 'commit hash',
} as const;

export type ComparedField = keyof typeof COMPARED_FIELDS;

export interface Mismatch {
  readonly block: string;
  readonly field: ComparedField;
  /** The nodes that differ from the majority (every node when there is none). */
  readonly nodes: readonly string[];
  /** Each distinct value and the nodes holding it, largest group first. */
  readonly groups: readonly { readonly value: string; readonly nodes: readonly string[] }[];
}

export interface NodeBlock {
  readonly node: string;
  readonly outcome: BlockOutcome;
}

const KEPT_MISMATCHES = 50;

/**
 * Compares the same block across nodes as the nodes are read in step, so
 * nothing of earlier blocks is kept but the mismatches found (capped).
 */
export class CrossNodeComparison {
  readonly #kept: Mismatch[] = [];
  #total = 0;
  #blocksCompared = 0;

  get mismatches(): readonly Mismatch[] {
    return this.#kept;
  }

  get total(): number {
    return this.#total;
  }

  /** Block numbers seen on at least two nodes. */
  get blocksCompared(): number {
    return this.#blocksCompared;
  }

  compare(block: bigint, seen: readonly NodeBlock[]): Mismatch[] {
    if (seen.length < 2) {
      return [];
    }
    this.#blocksCompared += 1;
    const found = (Object.keys(COMPARED_FIELDS) as ComparedField[]).flatMap((field) => {
      const mismatch = compareField(block, field, seen);
      return mismatch === undefined ? [] : [mismatch];
    });
    this.#total += found.length;
    this.#kept.push(...found.slice(0, Math.max(0, KEPT_MISMATCHES - this.#kept.length)));
    return found;
  }
}

export function compareField(
  block: bigint,
  field: ComparedField,
  seen: readonly NodeBlock[],
): Mismatch | undefined {
  const groups = new Map<string, string[]>();
  for (const { node, outcome } of seen) {
    const value = outcome[field];
    if (value !== undefined) {
      groups.set(value, [...(groups.get(value) ?? []), node]);
    }
  }
  if (groups.size < 2) {
    return undefined;
  }
  const sorted = [...groups.entries()]
    .map(([value, nodes]) => ({ value, nodes }))
    .sort((a, b) => b.nodes.length - a.nodes.length);
  const [largest, second] = sorted;
  const hasMajority =
    largest !== undefined && second !== undefined && largest.nodes.length > second.nodes.length;
  const odd = hasMajority ? sorted.slice(1).flatMap((g) => g.nodes) : sorted.flatMap((g) => g.nodes);
  return { block: block.toString(), field, nodes: odd.sort(), groups: sorted };
}

/** Nodes whose height is more than `maxLag` blocks below the highest. */
export function laggingNodes(
  heights: ReadonlyMap<string, bigint>,
  maxLag: number,
): { node: string; height: bigint; behind: bigint }[] {
  const top = [...heights.values()].reduce((max, h) => (h > max ? h : max), 0n);
  return [...heights.entries()]
    .filter(([, height]) => top - height > BigInt(maxLag))
    .map(([node, height]) => ({ node, height, behind: top - height }));
}
