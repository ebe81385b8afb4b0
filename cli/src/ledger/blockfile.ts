import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawBlock } from './block';
import { encodeVarint, readVarint, toSafeNumber } from './varint';

/**
 * Fabric's block files (common/ledger/blkstorage): each `blockfile_NNNNNN` is
 * a sequence of records [varint length][serialized block], where a serialized
 * block is Fabric's own layout, not the protobuf one:
 *   varint number, bytes data_hash, bytes previous_hash,
 *   varint count, count × bytes data entry,
 *   varint count, count × bytes metadata entry
 * with "bytes" = varint length + the bytes. Peers and orderers share it.
 */

export const BLOCK_FILE_PREFIX = 'blockfile_';

/** A block file that cannot be parsed: the bytes no longer follow the format. */
export class BlockFileError extends Error {
  readonly file: string;
  readonly offset: number;

  constructor(file: string, offset: number, reason: string) {
    super(`${file} at byte ${String(offset)}: ${reason}`);
    this.name = 'BlockFileError';
    this.file = file;
    this.offset = offset;
  }
}

class Cursor {
  offset = 0;

  constructor(readonly bytes: Uint8Array) {}

  varint(what: string): bigint {
    const read = readVarint(this.bytes, this.offset);
    if (read === undefined) {
      throw new RangeError(`${what} runs past the end of the block`);
    }
    this.offset = read.next;
    return read.value;
  }

  count(what: string): number {
    return toSafeNumber(this.varint(what), what);
  }

  raw(what: string): Uint8Array {
    const length = this.count(`${what} length`);
    const end = this.offset + length;
    if (end > this.bytes.length) {
      throw new RangeError(`${what} of ${String(length)} bytes runs past the end of the block`);
    }
    const value = this.bytes.subarray(this.offset, end);
    this.offset = end;
    return value;
  }

  list(what: string): Uint8Array[] {
    const count = this.count(`${what} count`);
    const items: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      items.push(this.raw(`${what} ${String(i)}`));
    }
    return items;
  }
}

/** Decodes one serialized block (the bytes of a record, after its length). */
export function parseStoredBlock(bytes: Uint8Array): RawBlock {
  const cursor = new Cursor(bytes);
  const number = cursor.varint('block number');
  const dataHash = cursor.raw('data hash');
  const previousHash = cursor.raw('previous hash');
  const data = cursor.list('data entry');
  const metadata = cursor.list('metadata entry');
  if (cursor.offset !== bytes.length) {
    throw new RangeError(`${String(bytes.length - cursor.offset)} stray bytes after the block`);
  }
  return { number, previousHash, dataHash, data, metadata };
}

function rawBytes(bytes: Uint8Array): Buffer {
  return Buffer.concat([encodeVarint(bytes.length), bytes]);
}

/** The inverse of parseStoredBlock, as Fabric's serializeBlock writes it. */
export function serializeStoredBlock(block: RawBlock): Buffer {
  return Buffer.concat([
    encodeVarint(block.number),
    rawBytes(block.dataHash),
    rawBytes(block.previousHash),
    encodeVarint(block.data.length),
    ...block.data.map(rawBytes),
    encodeVarint(block.metadata.length),
    ...block.metadata.map(rawBytes),
  ]);
}

/** One record of a block file: what a peer or orderer appends per block. */
export function blockFileRecord(block: RawBlock): Buffer {
  return rawBytes(serializeStoredBlock(block));
}

/** `blockfile_000000`, `blockfile_000001`, … of one channel folder, in order. */
export async function listBlockFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => /^blockfile_\d+$/.test(name));
  names.sort((a, b) => suffix(a) - suffix(b));
  return names.map((name) => join(dir, name));
}

function suffix(name: string): number {
  return Number(name.slice(BLOCK_FILE_PREFIX.length));
}

const CHUNK_BYTES = 1 << 20;

export interface BlockFileReadOptions {
  /** Bytes read per system call; small values exercise record reassembly in tests. */
  readonly chunkBytes?: number;
}

/**
 * Streams the blocks of the given files in order, holding one chunk and at
 * most one partly read record in memory. A record cut short at the end of the
 * last file is a block still being written and ends the stream; anywhere else
 * it is corruption.
 */
export async function* readBlockFiles(
  files: readonly string[],
  options: BlockFileReadOptions = {},
): AsyncGenerator<RawBlock> {
  for (const [i, file] of files.entries()) {
    yield* readBlockFile(file, i === files.length - 1, options.chunkBytes ?? CHUNK_BYTES);
  }
}

async function* readBlockFile(file: string, last: boolean, chunkBytes: number): AsyncGenerator<RawBlock> {
  const handle = await open(file, 'r');
  try {
    let pending: Buffer = Buffer.alloc(0);
    let pendingOffset = 0; // file offset of pending[0]
    for (;;) {
      const chunk = Buffer.alloc(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      pending =
        pending.length === 0
          ? chunk.subarray(0, bytesRead)
          : Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      const { blocks, consumed } = takeRecords(pending, file, pendingOffset);
      yield* blocks;
      pending = pending.subarray(consumed);
      pendingOffset += consumed;
      if (bytesRead === 0) {
        break;
      }
    }
    if (pending.length > 0 && !last) {
      throw new BlockFileError(
        file,
        pendingOffset,
        `record cut short (${String(pending.length)} bytes left)`,
      );
    }
  } finally {
    await handle.close();
  }
}

function takeRecords(
  bytes: Buffer,
  file: string,
  baseOffset: number,
): { blocks: RawBlock[]; consumed: number } {
  const blocks: RawBlock[] = [];
  let offset = 0;
  for (;;) {
    const length = readVarint(bytes, offset);
    if (length === undefined) {
      break;
    }
    const end = length.next + toSafeNumber(length.value, 'record length');
    if (end > bytes.length) {
      break;
    }
    try {
      blocks.push(parseStoredBlock(bytes.subarray(length.next, end)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BlockFileError(file, baseOffset + offset, `unreadable block record: ${reason}`);
    }
    offset = end;
  }
  return { blocks, consumed: offset };
}
