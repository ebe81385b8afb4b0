// The SDK's own file checkpointer. The gateway's checkpointers.file() rewrites
// its file in place with fs.writeFile (truncate, then write): a platform killed
// in between leaves an empty or cut-off file, which the gateway reads as "no
// checkpoint" (the feed is replayed from the start) or fails to parse. This one
// replaces the file atomically and refuses a file it cannot parse.
import { readFile } from 'node:fs/promises';
import {
  type ChaincodeEvent,
  type Checkpointer,
  checkpointers as gatewayCheckpointers,
} from '@hyperledger/fabric-gateway';
import { writeFileAtomic } from '../atomic-file';
import { ClientErrorCode, CrowdLedgerError } from '../errors';

/** A place in the event feed as the checkpoint file keeps it. */
interface Position {
  readonly blockNumber: bigint | undefined;
  readonly transactionId: string | undefined;
}

const NONE: Position = { blockNumber: undefined, transactionId: undefined };

/**
 * A checkpointer that keeps its place in the file at `path`, replaced
 * atomically on every checkpoint (temporary file, fsync, rename, fsync of the
 * directory): a kill -9 or a power loss at any moment leaves the previous
 * checkpoint or the new one, never a damaged file. The file is created (with
 * no position) when missing. It is the gateway's format, JSON
 * `{"blockNumber":"12","transactionId":"…"}`, so files written by the
 * gateway's `checkpointers.file` keep working, and the other way round.
 *
 * A file that exists but is not a checkpoint (empty, cut off, not that JSON)
 * fails with FILE_UNREADABLE rather than reading the feed from the start;
 * restore it, or delete it to start again from `startBlock`. Writes fail with
 * UNEXPECTED, naming the file; the position in memory then stays at the last
 * one written.
 */
export async function fileCheckpointer(path: string): Promise<Checkpointer> {
  const saved = await readCheckpoint(path);
  if (saved === undefined) {
    await writeCheckpoint(path, NONE);
  }
  return new FileCheckpointer(path, saved ?? NONE);
}

/**
 * Checkpointers for `events.subscribe` and `certificates.issueDue`:
 * `checkpointers.file(path)` is {@link fileCheckpointer} (crash-safe, unlike
 * the gateway's), `checkpointers.inMemory()` the gateway's own.
 */
export const checkpointers = {
  /** {@link fileCheckpointer}: the place kept in a file, replaced atomically. */
  file: fileCheckpointer,
  /** A checkpointer that keeps its place in memory only (the gateway's). */
  inMemory: (): Checkpointer => gatewayCheckpointers.inMemory(),
} as const;

class FileCheckpointer implements Checkpointer {
  readonly #path: string;
  #position: Position;
  /** The writes in flight, one after another, so the file ends at the last checkpoint. */
  #writes: Promise<void> = Promise.resolve();

  constructor(path: string, position: Position) {
    this.#path = path;
    this.#position = position;
  }

  getBlockNumber(): bigint | undefined {
    return this.#position.blockNumber;
  }

  getTransactionId(): string | undefined {
    return this.#position.transactionId;
  }

  checkpointBlock(blockNumber: bigint): Promise<void> {
    return this.#save({ blockNumber: blockNumber + 1n, transactionId: undefined });
  }

  checkpointTransaction(blockNumber: bigint, transactionId: string): Promise<void> {
    return this.#save({ blockNumber, transactionId });
  }

  checkpointChaincodeEvent(event: ChaincodeEvent): Promise<void> {
    return this.checkpointTransaction(event.blockNumber, event.transactionId);
  }

  #save(position: Position): Promise<void> {
    const write = this.#writes.then(async () => {
      await writeCheckpoint(this.#path, position);
      this.#position = position;
    });
    this.#writes = write.catch(() => undefined);
    return write;
  }
}

/** The position in the file; undefined when there is no file. */
async function readCheckpoint(path: string): Promise<Position | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (isMissing(cause)) {
      return undefined;
    }
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `cannot read checkpoint file ${path}`, {
      cause,
    });
  }
  return parseCheckpoint(text, path);
}

/** The gateway's JSON: the block number as a decimal string; absent fields left out. */
async function writeCheckpoint(path: string, position: Position): Promise<void> {
  const state = { blockNumber: position.blockNumber?.toString(), transactionId: position.transactionId };
  try {
    await writeFileAtomic(path, JSON.stringify(state));
  } catch (cause) {
    throw new CrowdLedgerError(
      ClientErrorCode.unexpected,
      `cannot write checkpoint file ${path}: ${reasonOf(cause)}`,
      {
        cause,
      },
    );
  }
}

function parseCheckpoint(text: string, path: string): Position {
  const { blockNumber, transactionId } = parseObject(text, path);
  if (transactionId !== undefined && typeof transactionId !== 'string') {
    throw corrupt(path, 'its transactionId is not a string');
  }
  if (blockNumber === undefined) {
    if (transactionId !== undefined) {
      throw corrupt(path, 'it has a transactionId but no blockNumber');
    }
    return NONE;
  }
  return { blockNumber: parseBlockNumber(blockNumber, path), transactionId };
}

/** The file's JSON object; an empty file (what a cut-off in-place write leaves) is not one. */
function parseObject(text: string, path: string): Record<string, unknown> {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (cause) {
    throw corrupt(path, text.length === 0 ? 'it is empty' : 'it is not JSON', cause);
  }
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw corrupt(path, 'it is not a JSON object');
  }
  return state as Record<string, unknown>;
}

/** A decimal string, as the gateway writes it; a whole number is taken too. */
function parseBlockNumber(value: unknown, path: string): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return BigInt(value);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return BigInt(value);
  }
  throw corrupt(path, 'its blockNumber is not a whole number from 0');
}

function corrupt(path: string, reason: string, cause?: unknown): CrowdLedgerError {
  return new CrowdLedgerError(
    ClientErrorCode.fileUnreadable,
    `checkpoint file ${path} is not a checkpoint (${reason}); restore it, or delete it to read the feed from startBlock again`,
    cause === undefined ? {} : { cause },
  );
}

// Checked by shape, not instanceof: Node's own errors can come from another realm (jest's vm).
function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

function reasonOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error
    ? String(error.message)
    : String(error);
}
