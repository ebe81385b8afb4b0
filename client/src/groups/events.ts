import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  type ChaincodeEvent,
  type Checkpointer,
  type CloseableAsyncIterable,
} from '@hyperledger/fabric-gateway';
import { ClientErrorCode, CrowdLedgerError, toCrowdLedgerError } from '../errors';
import type { GroupContext } from './context';
import { type CrowdLedgerEvent, type EventPosition, parseChaincodeEvent } from './event-types';
import { fileCheckpointer } from './file-checkpointer';

/** Where a stream of events starts and where it records its progress. */
export interface SubscribeOptions {
  /**
   * A checkpoint file path (created when missing; see {@link fileCheckpointer}:
   * replaced atomically, and FILE_UNREADABLE when it holds no checkpoint) or a
   * gateway Checkpointer. A checkpoint that has a position wins over `startBlock`.
   */
  readonly checkpoint: string | Checkpointer;
  /** The first block to read when the checkpoint is new; only new commits when absent. */
  readonly startBlock?: bigint;
}

/**
 * A live stream of the chaincode's events, typed.
 *
 * Delivery is at-least-once: an event is checkpointed only after it was
 * handled — when the loop asks for the next event (the body that handled it
 * has finished), or when {@link ack} is called. A crash while handling an
 * event delivers it again after a restart; nothing is lost. A `break` (or a
 * throw) out of the loop does not checkpoint the event in hand, since the
 * body may have failed: call `ack()` before `break` once it is handled, and a
 * restart with the same checkpoint then repeats nothing. Exactly-once needs
 * the handler to be idempotent, or to store its result and the checkpoint
 * together (a Checkpointer of your own).
 */
export interface EventSubscription extends AsyncIterable<CrowdLedgerEvent>, AsyncDisposable {
  /** Checkpoints the event last handed over, now. Does nothing when it already is. */
  ack(): Promise<void>;
  /** Stops the stream; the loop ends. Idempotent. */
  close(): void;
}

/** The chaincode's event stream (R8: every platform sees every registration). */
export interface EventsApi {
  /** Opens a stream of typed events that resumes from its checkpoint. */
  subscribe(options: SubscribeOptions): Promise<EventSubscription>;
}

async function toCheckpointer(checkpoint: string | Checkpointer): Promise<Checkpointer> {
  // Not the gateway's checkpointers.file: a kill during its in-place write can empty the file.
  return typeof checkpoint === 'string' ? fileCheckpointer(checkpoint) : checkpoint;
}

/**
 * A checkpointer that starts just after `position` and then keeps its place
 * in memory. For exactly-once handling: store each event's result and its
 * position together, in one write of your own; after a restart — even a
 * kill -9 — subscribe with `checkpointAfter(lastStoredPosition)`. The stream
 * then resumes after the last event whose result survived, so nothing is
 * handled twice or skipped. With no position it starts at `startBlock`.
 */
export function checkpointAfter(position?: EventPosition): Checkpointer {
  let blockNumber = position?.blockNumber;
  let transactionId = position?.transactionId;
  const at = (block: bigint | undefined, tx: string | undefined): Promise<void> => {
    blockNumber = block;
    transactionId = tx;
    return Promise.resolve();
  };
  return {
    getBlockNumber: () => blockNumber,
    getTransactionId: () => transactionId,
    checkpointBlock: (block) => at(block + 1n, undefined),
    checkpointTransaction: (block, tx) => at(block, tx),
    checkpointChaincodeEvent: (event) => at(event.blockNumber, event.transactionId),
  };
}

const IDLE = Symbol('idle');

/**
 * One chaincode event stream with a checkpointer: hands events over one at a
 * time and checkpoints the one in hand only when told to.
 */
export class EventFeed {
  readonly #stream: CloseableAsyncIterable<ChaincodeEvent>;
  readonly #iterator: AsyncIterator<ChaincodeEvent>;
  readonly #checkpointer: Checkpointer;
  readonly #forget: () => void;
  #pending: ChaincodeEvent | undefined;
  #closed = false;

  private constructor(
    stream: CloseableAsyncIterable<ChaincodeEvent>,
    checkpointer: Checkpointer,
    forget: (feed: EventFeed) => () => void,
  ) {
    this.#stream = stream;
    this.#iterator = stream[Symbol.asyncIterator]();
    this.#checkpointer = checkpointer;
    this.#forget = forget(this);
  }

  /** Opens the stream at the checkpoint, else at `startBlock`, else at the next commit. */
  static async open(context: GroupContext, options: Readonly<SubscribeOptions>): Promise<EventFeed> {
    const checkpoint = await toCheckpointer(options.checkpoint);
    let stream: CloseableAsyncIterable<ChaincodeEvent>;
    try {
      stream = await context.network.getChaincodeEvents(context.chaincode, {
        checkpoint,
        ...(options.startBlock === undefined ? {} : { startBlock: options.startBlock }),
      });
    } catch (error) {
      throw toCrowdLedgerError(error);
    }
    return new EventFeed(stream, checkpoint, (feed) => context.track(feed));
  }

  /**
   * The next event; undefined when the stream ended, was closed, or (with
   * `idleMs`) brought nothing for that long — then the stream is closed.
   */
  async next(idleMs?: number): Promise<CrowdLedgerEvent | undefined> {
    if (this.#closed) {
      return undefined;
    }
    const next = this.#iterator.next();
    const timer = new AbortController();
    let result: IteratorResult<ChaincodeEvent> | typeof IDLE;
    try {
      result = idleMs === undefined ? await next : await Promise.race([next, idle(idleMs, timer.signal)]);
    } catch (error) {
      // Closed while waiting: the stream's cancellation is the end, not a failure.
      if (this.closed) {
        return undefined;
      }
      this.close();
      throw toCrowdLedgerError(error);
    } finally {
      timer.abort();
    }
    if (result === IDLE) {
      next.catch(() => undefined);
      this.close();
      return undefined;
    }
    if (result.done === true) {
      this.close();
      return undefined;
    }
    this.#pending = result.value;
    return parseChaincodeEvent(result.value);
  }

  /** Checkpoints the event last handed over. */
  async ack(): Promise<void> {
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#pending = undefined;
      await this.#checkpointer.checkpointChaincodeEvent(pending);
    }
  }

  /**
   * Checkpoints the feed at an event handed over earlier (events handled
   * out of order are checkpointed in order by the caller): a restart resumes
   * after it.
   */
  async checkpoint(position: EventPosition): Promise<void> {
    this.#pending = undefined;
    await this.#checkpointer.checkpointTransaction(position.blockNumber, position.transactionId);
  }

  /** True once closed (by close(), the client, the end of the stream or idling). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the stream and stops the client tracking it; later calls do nothing. */
  close(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#stream.close();
      this.#forget();
    }
  }
}

/** Resolves IDLE after `ms`, or at once when the signal aborts (the race was already won). */
async function idle(ms: number, signal: AbortSignal): Promise<typeof IDLE> {
  try {
    await sleepFor(ms, undefined, { signal });
  } catch {
    // Aborted: the result is ignored.
  }
  return IDLE;
}

class Subscription implements EventSubscription {
  readonly #feed: EventFeed;
  #iterating = false;

  constructor(feed: EventFeed) {
    this.#feed = feed;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CrowdLedgerEvent> {
    if (this.#iterating) {
      throw new CrowdLedgerError(ClientErrorCode.invalidOptions, 'a subscription can be iterated only once');
    }
    this.#iterating = true;
    try {
      for (let event = await this.#feed.next(); event !== undefined; event = await this.#feed.next()) {
        yield event;
        // The consumer asked for the next event: the one it had is handled.
        await this.#feed.ack();
      }
    } finally {
      this.#feed.close();
    }
  }

  ack(): Promise<void> {
    return this.#feed.ack();
  }

  close(): void {
    this.#feed.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/** The {@link EventsApi} over the CrowdLedger chaincode's event stream. */
export class EventsClient implements EventsApi {
  readonly #context: GroupContext;

  constructor(context: GroupContext) {
    this.#context = context;
  }

  async subscribe(options: SubscribeOptions): Promise<EventSubscription> {
    return new Subscription(await EventFeed.open(this.#context, options));
  }
}
