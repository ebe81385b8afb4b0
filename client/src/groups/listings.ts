import type { ConsentOptions } from '../consent';
import type { ContractInvoker } from '../invoker';
import { decoders, type Listing, type Page } from '../model';
import type { PageRequest } from './assets';
import type { GroupContext } from './context';
import { type ExpireDueOptions, type ExpireDueReport, expireDue } from './expiry';
import { allPages, type Instant, isoInstant, pageArguments, submitSigned } from './trading';

/** A fixed-price listing to create (R8). Prices are whole fen. */
export interface ListingInput {
  /** The asset to sell. */
  readonly assetId: string;
  /** The selling user, one of this platform's, who signs; their units are escrowed. */
  readonly sellerId: string;
  /** Units offered. */
  readonly units: number;
  /** Whole fen per unit. */
  readonly pricePerUnit: number;
  /** Least units one buyer may buy, over all their purchases. */
  readonly minPerBuyer: number;
  /** Most units one buyer may buy, over all their purchases. */
  readonly maxPerBuyer: number;
  /** No purchase at or after this instant; must be in the future. */
  readonly expiresAt: Instant;
}

/** Fixed-price listings (R8): create, cancel, expire, read and browse. */
export interface ListingsApi {
  /**
   * Creates a listing, escrowing the seller's units, with the seller's
   * signature over its terms. A refused signature (CONSENT_…) is thrown,
   * and nothing was written.
   */
  create(input: ListingInput, options: ConsentOptions): Promise<Listing>;
  /**
   * Cancels an open listing and releases its escrow, with the seller's
   * signature; `sellerId` is the listing's seller (CONSENT_USER_MISMATCH
   * otherwise).
   */
  cancel(listingId: string, sellerId: string, options: ConsentOptions): Promise<Listing>;
  /**
   * Expires an open fixed-price listing at or after its expiresAt and
   * releases its escrow to the seller's holding. Any platform or the
   * registry admin may, for any seller; no signature. Throws NOT_EXPIRED
   * until one proposal time window (30 seconds) after expiresAt, and LISTING_CLOSED when it is no longer open (nothing is
   * written either way), INVALID_ARGUMENT for a campaign (campaigns end with
   * {@link CampaignsApi.settle}), FORBIDDEN for an identity that may not write.
   */
  expire(listingId: string): Promise<Listing>;
  /**
   * Housekeeping any platform may run, e.g. on a timer: pages through the
   * open listings of every platform and expires each fixed-price one past
   * its expiresAt (judged against `options.asOf`, now by default), a page at
   * a time. A listing closed by someone else in the meantime is skipped
   * (LISTING_CLOSED or NOT_EXPIRED), any other failure is reported and the
   * run goes on; only a failed page read rejects. Campaigns past their
   * deadline are listed, not touched. Running it again, or on two platforms
   * at once, is harmless.
   */
  expireDue(options?: ExpireDueOptions): Promise<ExpireDueReport>;
  /** A listing (or campaign); LISTING_NOT_FOUND when there is none. */
  get(listingId: string): Promise<Listing>;
  /** One page of the open listings of every platform (campaigns included), in listing ID order. */
  open(page?: PageRequest): Promise<Page<Listing>>;
  /** Every open listing, walking all pages. */
  allOpen(pageSize?: number): AsyncIterable<Listing>;
}

/** The {@link ListingsApi} over the `listings` contract. */
export class ListingsClient implements ListingsApi {
  readonly #listings: ContractInvoker<'listings'>;
  readonly #context: GroupContext;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#listings = context.contract('listings');
  }

  async create(input: ListingInput, options: ConsentOptions): Promise<Listing> {
    const params = {
      assetId: input.assetId,
      units: input.units,
      pricePerUnit: input.pricePerUnit,
      minPerBuyer: input.minPerBuyer,
      maxPerBuyer: input.maxPerBuyer,
      expiresAt: isoInstant(input.expiresAt, 'expiresAt'),
    };
    const call = { action: 'listings:Create', userId: input.sellerId, params, options } as const;
    return submitSigned(this.#listings, decoders.listing, call, this.#context.consent);
  }

  cancel(listingId: string, sellerId: string, options: ConsentOptions): Promise<Listing> {
    const call = { action: 'listings:Cancel', userId: sellerId, params: { listingId }, options } as const;
    return submitSigned(this.#listings, decoders.listing, call, this.#context.consent);
  }

  expire(listingId: string): Promise<Listing> {
    return this.#listings.submit('Expire', decoders.listing, { arguments: [listingId] });
  }

  expireDue(options: ExpireDueOptions = {}): Promise<ExpireDueReport> {
    return expireDue({ open: (page) => this.open(page), expire: (id) => this.expire(id) }, options);
  }

  get(listingId: string): Promise<Listing> {
    return this.#listings.evaluate('Get', decoders.listing, [listingId]);
  }

  open(page: PageRequest = {}): Promise<Page<Listing>> {
    return this.#listings.evaluate('Open', decoders.listingPage, pageArguments(page));
  }

  allOpen(pageSize?: number): AsyncIterable<Listing> {
    return allPages((page) => this.open(page), pageSize);
  }
}
