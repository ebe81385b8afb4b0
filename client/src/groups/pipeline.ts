// Small building blocks for runs that do many independent things at once
// (issueDue): a bound on how many run together, and batches that fill up
// as the items come.

/** At most `limit` holders at once; the others wait their turn, first come first served. */
export class Semaphore {
  readonly #limit: number;
  readonly #waiting: (() => void)[] = [];
  #held = 0;

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError('a semaphore needs a limit of at least 1');
    }
    this.#limit = limit;
  }

  /** How many hold it now. */
  get held(): number {
    return this.#held;
  }

  /** Waits for a place; call {@link release} once done with it. */
  async acquire(): Promise<void> {
    if (this.#held < this.#limit) {
      this.#held += 1;
      return;
    }
    // The releasing holder hands its place over: #held stays as it is.
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Gives a place back, to the first waiting if any. */
  release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) {
      this.#held -= 1;
    } else {
      next();
    }
  }

  /** Runs `work` in a place of its own. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}

/** How a {@link Batcher} groups and sends. */
export interface BatcherOptions<I, R> {
  /** Items per batch at most; a full batch goes at once. */
  readonly size: number;
  /** How long a batch that is not full waits for more items before it goes anyway. */
  readonly lingerMs: number;
  /** Batches being sent at once at most; a ready batch waits for one to finish. */
  readonly inFlight: number;
  /** Sends one batch; returns one result per item, in order. */
  readonly send: (items: readonly I[]) => Promise<readonly R[]>;
}

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Groups items into batches as they come: each {@link add} resolves with its
 * own item's result once its batch was sent. A batch goes when it is full or
 * has waited `lingerMs`; a failed send fails every item of that batch only.
 */
export class Batcher<I, R> {
  readonly #options: BatcherOptions<I, R>;
  readonly #sending: Semaphore;
  #open: Waiting<I, R>[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(options: BatcherOptions<I, R>) {
    if (!Number.isSafeInteger(options.size) || options.size < 1) {
      throw new RangeError('a batch holds at least one item');
    }
    this.#options = options;
    this.#sending = new Semaphore(options.inFlight);
  }

  /** Adds an item to the open batch; resolves with its result, or rejects with its batch's failure. */
  add(item: I): Promise<R> {
    const result = new Promise<R>((resolve, reject) => {
      this.#open.push({ item, resolve, reject });
    });
    if (this.#open.length >= this.#options.size) {
      this.flush();
    } else {
      this.#timer ??= setTimeout(() => {
        this.flush();
      }, this.#options.lingerMs);
    }
    return result;
  }

  /** Sends the open batch now, if it holds anything. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#open;
    this.#open = [];
    if (batch.length > 0) {
      void this.#sending.run(() => this.#send(batch));
    }
  }

  async #send(batch: readonly Waiting<I, R>[]): Promise<void> {
    let results: readonly R[];
    try {
      results = await this.#options.send(batch.map((w) => w.item));
      if (results.length !== batch.length) {
        throw new RangeError(`a batch of ${String(batch.length)} gave ${String(results.length)} results`);
      }
    } catch (error) {
      for (const waiting of batch) {
        waiting.reject(error);
      }
      return;
    }
    batch.forEach((waiting, i) => {
      waiting.resolve(results[i] as R);
    });
  }
}
