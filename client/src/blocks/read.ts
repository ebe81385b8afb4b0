// Reads the chain from block 0 to a chosen block through the gateway's block
// events (the peer's Deliver service), one block at a time: nothing but the
// block in hand and what the caller keeps is held in memory.
import type { common } from '@hyperledger/fabric-protos';
import { ClientErrorCode, CrowdLedgerError, toCrowdLedgerError } from '../errors';
import type { GroupContext } from '../groups/context';
import { type CapTable, CapTableReplay } from './cap-table';
import { blockNumberOf, validWrites } from './writes';

/** How far a read of the chain has come. */
export interface BlockProgress {
  /** The block just applied. */
  readonly blockNumber: bigint;
  /** The last block the read goes to. */
  readonly lastBlock: bigint;
}

/** Options of a read up to a block. */
export interface BlockReadOptions {
  /** Called after each block is applied, in block order; keep it cheap (throttle any printing). */
  readonly onProgress?: (progress: BlockProgress) => void;
}

type BlockContext = Pick<GroupContext, 'network' | 'chainHeight' | 'track' | 'chaincode'>;

function outOfRange(sentence: string): CrowdLedgerError {
  return new CrowdLedgerError(ClientErrorCode.blockOutOfRange, sentence);
}

/** The block number as a bigint, checked against the chain's height. */
export async function requireCommittedBlock(context: BlockContext, block: bigint | number): Promise<bigint> {
  if (typeof block === 'number' && !Number.isSafeInteger(block)) {
    throw outOfRange(`block must be a whole number from 0, not ${String(block)}`);
  }
  const number = BigInt(block);
  if (number < 0n) {
    throw outOfRange(`block must be a whole number from 0, not ${number.toString()}`);
  }
  const height = await context.chainHeight();
  if (number >= height) {
    const newest = (height - 1n).toString();
    throw outOfRange(
      `block ${number.toString()} is beyond the chain: its height is ${height.toString()}, so the newest block is ${newest}`,
    );
  }
  return number;
}

/**
 * Hands blocks 0…last to `visit` in order, then closes the stream. The
 * client's close() also closes it, which ends the read with UNAVAILABLE.
 */
export async function forEachBlock(
  context: BlockContext,
  last: bigint,
  visit: (block: common.Block, blockNumber: bigint) => void,
): Promise<void> {
  const blocks = await context.network.getBlockEvents({ startBlock: 0n }).catch((error: unknown) => {
    throw toCrowdLedgerError(error);
  });
  const forget = context.track(blocks);
  let expected = 0n;
  try {
    for await (const block of blocks) {
      const number = blockNumberOf(block);
      if (number !== expected) {
        throw new CrowdLedgerError(
          ClientErrorCode.badResponse,
          `the peer sent block ${number.toString()} where block ${expected.toString()} was due`,
        );
      }
      visit(block, number);
      if (number === last) {
        return;
      }
      expected += 1n;
    }
  } catch (error) {
    throw toCrowdLedgerError(error);
  } finally {
    blocks.close();
    forget();
  }
  throw new CrowdLedgerError(
    ClientErrorCode.unavailable,
    `the block stream ended before block ${last.toString()} (at ${expected.toString()}): the client was closed or the peer went away`,
  );
}

/**
 * An asset's cap table as of `block`, rebuilt from the valid transactions'
 * writes of blocks 0…block. BLOCK_OUT_OF_RANGE for a block past the newest;
 * ASSET_NOT_FOUND when the asset was not registered by then.
 */
export async function readCapTableAt(
  context: BlockContext,
  assetId: string,
  block: bigint | number,
  options: BlockReadOptions = {},
): Promise<CapTable> {
  const last = await requireCommittedBlock(context, block);
  const replay = new CapTableReplay(assetId);
  const filter = { namespace: context.chaincode, mentioning: Buffer.from(assetId, 'utf8') };
  await forEachBlock(context, last, (current, blockNumber) => {
    for (const transaction of validWrites(current, filter)) {
      transaction.writes.forEach((write) => {
        replay.apply(write);
      });
    }
    options.onProgress?.({ blockNumber, lastBlock: last });
  });
  const table = replay.capTable(last);
  if (table === undefined) {
    throw new CrowdLedgerError('ASSET_NOT_FOUND', `no asset ${assetId} existed at block ${last.toString()}`);
  }
  return table;
}
