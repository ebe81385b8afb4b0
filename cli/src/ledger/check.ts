import { common, peer } from '@hyperledger/fabric-protos';
import { blockDataHash, blockHeaderHash, hex, type RawBlock } from './block';
import { isConfigBlock, ordererTrustFrom } from './config';
import { OrdererSignatureVerifier } from './signatures';

export type NodeKind = 'peer' | 'orderer';

/** What one block looked like on one node, for the cross-node comparison. */
export interface BlockOutcome {
  readonly number: bigint;
  /** SHA-256 of the DER header as stored: what the next block must point at. */
  readonly headerHash: string;
  /** SHA-256 over the data entries as stored, whatever the header says. */
  readonly contentHash: string;
  /** The peer's validation flags (hex); undefined on orderers, which keep none. */
  readonly validationFlags: string | undefined;
  /** The peer's commit hash over the state it committed (hex), when it keeps one. */
  readonly commitHash: string | undefined;
  readonly problems: readonly string[];
}

export interface BadBlock {
  readonly block: string;
  readonly reasons: readonly string[];
}

const TRANSACTIONS_FILTER = common.BlockMetadataIndex.TRANSACTIONS_FILTER;
const COMMIT_HASH = common.BlockMetadataIndex.COMMIT_HASH;

const VALIDATION_CODE_NAMES = new Map<number, string>(
  Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name]),
);

export function validationCodeName(code: number): string {
  return VALIDATION_CODE_NAMES.get(code) ?? `CODE_${String(code)}`;
}

/**
 * Checks one node's chain block by block, keeping only what the next block
 * needs: the expected number, the previous header hash and the orderer trust
 * from the latest config block. Never holds the chain.
 */
export class ChainChecker {
  readonly kind: NodeKind;
  readonly #txCodes = new Map<number, number>();
  #expected = 0n;
  #previousHeaderHash: Buffer | undefined;
  #signatures: OrdererSignatureVerifier | undefined;
  #firstBad: BadBlock | undefined;
  #badBlocks = 0;
  #lastHeaderHash: string | undefined;

  constructor(kind: NodeKind) {
    this.kind = kind;
  }

  /** Blocks seen so far: the node's height once its chain has been read. */
  get height(): bigint {
    return this.#expected;
  }

  get firstBad(): BadBlock | undefined {
    return this.#firstBad;
  }

  get badBlocks(): number {
    return this.#badBlocks;
  }

  get lastHeaderHash(): string | undefined {
    return this.#lastHeaderHash;
  }

  /** Transactions per validation code name, summed over the blocks seen. */
  transactionCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [code, count] of [...this.#txCodes.entries()].sort(([a], [b]) => a - b)) {
      counts[validationCodeName(code)] = count;
    }
    return counts;
  }

  check(block: RawBlock): BlockOutcome {
    const problems: string[] = [];
    const position = this.#expected;
    if (block.number !== position) {
      problems.push(`block number ${block.number.toString()} where ${position.toString()} was expected`);
    }
    const contentHash = blockDataHash(block.data);
    if (!contentHash.equals(block.dataHash)) {
      problems.push(
        `data hash mismatch: header has ${hex(block.dataHash)}, data hashes to ${hex(contentHash)}`,
      );
    }
    problems.push(...this.#checkPrevious(block), ...this.#checkSignatures(block));
    const validationFlags = this.#countTransactions(block, problems);
    const headerHash = blockHeaderHash(block);
    this.#previousHeaderHash = headerHash;
    this.#lastHeaderHash = headerHash.toString('hex');
    this.#expected = position + 1n;
    if (problems.length > 0) {
      this.#badBlocks += 1;
      this.#firstBad ??= { block: position.toString(), reasons: problems };
    }
    const commit = block.metadata[COMMIT_HASH];
    return {
      number: position,
      headerHash: this.#lastHeaderHash,
      contentHash: contentHash.toString('hex'),
      validationFlags,
      commitHash: commit === undefined || commit.length === 0 ? undefined : hex(commit),
      problems,
    };
  }

  /** Records a failure that is not about one block's content (unreadable file, lost stream). */
  fail(reason: string): void {
    this.#badBlocks += 1;
    this.#firstBad ??= { block: this.#expected.toString(), reasons: [reason] };
  }

  #checkPrevious(block: RawBlock): string[] {
    const expected = this.#previousHeaderHash;
    if (expected === undefined) {
      return block.previousHash.length === 0
        ? []
        : [`the first block has a previous hash ${hex(block.previousHash)}`];
    }
    if (expected.equals(block.previousHash)) {
      return [];
    }
    return [
      `previous hash mismatch: header has ${hex(block.previousHash)}, ` +
        `block ${(this.#expected - 1n).toString()} as stored hashes to ${expected.toString('hex')}`,
    ];
  }

  #checkSignatures(block: RawBlock): string[] {
    if (this.#signatures !== undefined) {
      const problems = this.#signatures.check(block);
      return problems.length === 0 ? this.#adoptConfig(block) : problems;
    }
    if (this.#expected > 0n) {
      return ['no config block seen before: orderer signatures not checkable'];
    }
    // The genesis block is the trust anchor: configtxgen made it, no orderer signed it.
    return isConfigBlock(block) ? this.#adoptConfig(block) : ['the first block holds no channel config'];
  }

  /** A config block, once trusted, names the orderer orgs that sign the blocks after it. */
  #adoptConfig(block: RawBlock): string[] {
    if (!isConfigBlock(block)) {
      return [];
    }
    try {
      const trust = ordererTrustFrom(block);
      if (this.#signatures === undefined) {
        this.#signatures = new OrdererSignatureVerifier(trust);
      } else {
        this.#signatures.useTrust(trust);
      }
      return [];
    } catch (error) {
      return [`channel config unreadable: ${error instanceof Error ? error.message : String(error)}`];
    }
  }

  #countTransactions(block: RawBlock, problems: string[]): string | undefined {
    const flags = block.metadata[TRANSACTIONS_FILTER];
    if (flags === undefined || flags.length === 0) {
      if (this.kind === 'peer') {
        problems.push('no transaction validation flags');
      }
      return undefined;
    }
    if (flags.length !== block.data.length) {
      problems.push(
        `validation flags for ${String(flags.length)} transactions, block has ${String(block.data.length)}`,
      );
    }
    for (const code of flags) {
      this.#txCodes.set(code, (this.#txCodes.get(code) ?? 0) + 1);
    }
    return hex(flags);
  }
}
