// listings.expireDue: the housekeeping that releases the escrow of listings
// past their time. The chaincode lets any platform (or the registry admin)
// expire one, with no signature, so nothing waits on the seller's platform.
import { PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/protocol';
import {
  type CrowdLedgerError,
  type CrowdLedgerErrorCode,
  hasErrorCode,
  toCrowdLedgerError,
} from '../errors';
import type { Listing, Page } from '../model';
import type { PageRequest } from './assets';
import { eachPage } from './trading';

/** Options of {@link ListingsApi.expireDue}. */
export interface ExpireDueOptions {
  /** Open listings read per page, 1 to 500; 100 when absent. */
  readonly pageSize?: number;
  /**
   * Listings whose expiresAt lies one proposal time window (30 seconds) or
   * more before this instant are due: the chaincode expires a listing only
   * from then (a proposal's time may be off by that much). The current time
   * when absent; the chaincode judges by the transaction's time, which this
   * client sets, so a later instant only earns NOT_EXPIRED skips.
   */
  readonly asOf?: Date;
  /**
   * Expire transactions in flight at once, 1 to 16; 4 when absent. Listings
   * of one seller's holding are expired one after the other (each writes
   * that holding), so they never conflict with each other.
   */
  readonly concurrency?: number;
  /**
   * Called after each page is read and after each listing is handled, with
   * the counts so far. If it throws, the run stops (after the transactions
   * in flight) and expireDue rejects with that error.
   */
  readonly onProgress?: (progress: ExpireDueProgress) => void;
}

/** How far an expireDue run has got. */
export interface ExpireDueProgress {
  /** Pages of open listings read. */
  readonly pagesRead: number;
  /** Open listings read, due or not, campaigns included. */
  readonly examined: number;
  /** Fixed-price listings found past their expiresAt. */
  readonly due: number;
  /** Listings this run expired. */
  readonly expired: number;
  /** Due listings the chaincode refused because another transaction got there first. */
  readonly skipped: number;
  /** Due listings whose expiry failed for any other reason. */
  readonly failed: number;
}

/** The two codes a due listing may meet when it is no longer due by the time it is expired. */
export type ExpirySkipCode = 'NOT_EXPIRED' | 'LISTING_CLOSED';

/**
 * A due listing left alone: LISTING_CLOSED when it was bought out,
 * cancelled or expired by someone else since the page was read;
 * NOT_EXPIRED when {@link ExpireDueOptions.asOf} was ahead of the
 * transaction's time.
 */
export interface SkippedListing {
  /** The listing. */
  readonly listingId: string;
  /** Why the chaincode refused it. */
  readonly code: ExpirySkipCode;
  /** The chaincode's sentence. */
  readonly sentence: string;
}

/** A due listing that could not be expired; the next run tries it again. */
export interface FailedListing {
  /** The listing. */
  readonly listingId: string;
  /** The error's code (FORBIDDEN for an identity that may not write, MVCC_READ_CONFLICT after every retry…). */
  readonly code: CrowdLedgerErrorCode;
  /** The error's sentence. */
  readonly sentence: string;
  /** The error itself, with its stage and transaction ID. */
  readonly error: CrowdLedgerError;
}

/** What one expireDue run did. Every list is in listing ID order. */
export interface ExpireDueReport {
  /** Listings this run expired: their escrow went back to each seller's holding. */
  readonly expired: readonly string[];
  /** Due listings another transaction closed first (or asOf ran ahead); not errors. */
  readonly skipped: readonly SkippedListing[];
  /** Due listings that failed; the run went on with the others. */
  readonly failed: readonly FailedListing[];
  /**
   * Campaigns past their deadline. listings:Expire refuses campaigns: they
   * end with {@link CampaignsApi.settle}, which any platform may call too.
   */
  readonly unsettledCampaigns: readonly string[];
  /** Pages of open listings read. */
  readonly pagesRead: number;
  /** Open listings read, due or not. */
  readonly examined: number;
}

/** The two calls of the listings group an expireDue run makes. */
export interface ExpiryCalls {
  /** One page of open listings. */
  open(page: PageRequest): Promise<Page<Listing>>;
  /** listings:Expire. */
  expire(listingId: string): Promise<Listing>;
}

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 16;

/**
 * Pages through the open listings and expires every fixed-price one past its
 * time, a page at a time: each page's expiries finish before the next page
 * is read. Expired listings leave the open index behind the bookmark, so no
 * listing is read twice or missed.
 */
export async function expireDue(
  calls: ExpiryCalls,
  options: ExpireDueOptions = {},
): Promise<ExpireDueReport> {
  const asOf = (options.asOf ?? new Date()).getTime();
  const concurrency = checkConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY);
  const run = new ExpiryRun(calls, options.onProgress);
  for await (const page of eachPage((request) => calls.open(request), options.pageSize)) {
    const due = run.pageRead(page.records, asOf);
    await inLanes(
      due,
      (listing) => `${listing.assetId}/${listing.sellerId}`,
      concurrency,
      (listing) => run.expire(listing.listingId),
    );
  }
  return run.report();
}

function checkConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new RangeError(`concurrency must be a whole number from 1 to ${String(MAX_CONCURRENCY)}`);
  }
  return concurrency;
}

/** The bookkeeping of one expireDue run. */
class ExpiryRun {
  readonly #calls: ExpiryCalls;
  readonly #onProgress: ExpireDueOptions['onProgress'];
  readonly #expired: string[] = [];
  readonly #skipped: SkippedListing[] = [];
  readonly #failed: FailedListing[] = [];
  readonly #campaigns: string[] = [];
  #pages = 0;
  #examined = 0;
  #due = 0;

  constructor(calls: ExpiryCalls, onProgress: ExpireDueOptions['onProgress']) {
    this.#calls = calls;
    this.#onProgress = onProgress;
  }

  /** Counts a page and returns its fixed-price listings past their time; campaigns are only noted. */
  pageRead(listings: readonly Listing[], asOf: number): Listing[] {
    const past = listings.filter(
      (listing) => Date.parse(listing.expiresAt) + PROPOSAL_TIME_WINDOW_MS <= asOf,
    );
    const due = past.filter((listing) => listing.kind === 'FIXED');
    this.#campaigns.push(...past.filter((l) => l.kind === 'CAMPAIGN').map((l) => l.listingId));
    this.#pages += 1;
    this.#examined += listings.length;
    this.#due += due.length;
    this.#progress();
    return due;
  }

  /** Expires one listing; a refusal or failure is noted, never thrown. */
  async expire(listingId: string): Promise<void> {
    try {
      await this.#calls.expire(listingId);
      this.#expired.push(listingId);
    } catch (thrown) {
      const error = toCrowdLedgerError(thrown);
      const { code, sentence } = error;
      if (hasErrorCode(error, 'NOT_EXPIRED', 'LISTING_CLOSED')) {
        this.#skipped.push({ listingId, code: error.code, sentence });
      } else {
        this.#failed.push({ listingId, code, sentence, error });
      }
    }
    this.#progress();
  }

  report(): ExpireDueReport {
    const byId = (a: { listingId: string }, b: { listingId: string }): number =>
      a.listingId < b.listingId ? -1 : 1;
    return {
      expired: [...this.#expired].sort(),
      skipped: [...this.#skipped].sort(byId),
      failed: [...this.#failed].sort(byId),
      unsettledCampaigns: this.#campaigns,
      pagesRead: this.#pages,
      examined: this.#examined,
    };
  }

  #progress(): void {
    this.#onProgress?.({
      pagesRead: this.#pages,
      examined: this.#examined,
      due: this.#due,
      expired: this.#expired.length,
      skipped: this.#skipped.length,
      failed: this.#failed.length,
    });
  }
}

/**
 * Runs `work` on every item with up to `concurrency` workers. Items of one
 * lane (same key) run one after the other, in order, on one worker. After a
 * throw no worker starts another item; the first error is rethrown once the
 * items in flight have finished.
 */
export async function inLanes<T>(
  items: readonly T[],
  laneOf: (item: T) => string,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const key = laneOf(item);
    lanes.set(key, [...(lanes.get(key) ?? []), item]);
  }
  const queue = [...lanes.values()];
  let stopped = false;
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane !== undefined; lane = queue.shift()) {
      for (const item of lane) {
        if (stopped) {
          return;
        }
        await work(item).catch((error: unknown) => {
          stopped = true;
          throw error;
        });
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, worker);
  const failure = (await Promise.allSettled(workers)).find((r) => r.status === 'rejected');
  if (failure !== undefined) {
    throw failure.reason;
  }
}
