import { object } from '../decode';
import type { ContractInvoker } from '../invoker';
import { decoders, type Offer, type TradeResult } from '../model';
import type { GroupContext } from './context';
import { type Instant, isoInstant, type KeyOptions, submitWithKey } from './trading';

/** A private offer to create: one seller's units for one named buyer. Prices are whole fen. */
export interface OfferInput {
  /** The asset offered. */
  readonly assetId: string;
  /** The selling user, one of this platform's; their units are escrowed. */
  readonly sellerId: string;
  /** The one buyer who may accept; a user of any platform. */
  readonly buyerId: string;
  /** Units offered; the buyer takes all or none. */
  readonly units: number;
  /** Whole fen per unit. */
  readonly pricePerUnit: number;
  /** No acceptance at or after this instant; must be in the future. */
  readonly expiresAt: Instant;
}

/** Private offers from one seller to one buyer. */
export interface OffersApi {
  /**
   * Creates an offer, escrowing the seller's units, with the seller's key.
   * A wrong or locked key throws BAD_TRANSACTION_KEY or LOCKED with stage
   * `commit` and the transaction ID: that refusal WAS committed (the
   * failure count is kept) and nothing else was written.
   */
  create(input: OfferInput, options: KeyOptions): Promise<Offer>;
  /**
   * The buyer (one of this platform's users) takes the whole offer, with the
   * buyer's key. Key refusals are thrown as in {@link OffersApi.create} (committed).
   */
  accept(offerId: string, options: KeyOptions): Promise<TradeResult>;
  /** Withdraws an open offer and releases its escrow, with the seller's key; refusals as in create. */
  cancel(offerId: string, options: KeyOptions): Promise<Offer>;
  /**
   * Expires an open offer at or after its expiresAt and releases its escrow
   * to the seller's holding. Any platform or the registry admin may; no key.
   * Throws NOT_EXPIRED before expiresAt and OFFER_CLOSED when it is no longer
   * open (nothing is written either way). There is no expireDue for offers:
   * the ledger keeps no index of open offers to page through, so a platform
   * expires the offers it knows of (its sellers', or those the OfferCreated
   * events name).
   */
  expire(offerId: string): Promise<Offer>;
  /** An offer; OFFER_NOT_FOUND when there is none. */
  get(offerId: string): Promise<Offer>;
}

const offerOutcome = object<{ offer: Offer }>({ offer: decoders.offer });

/** The {@link OffersApi} over the `offers` contract. */
export class OffersClient implements OffersApi {
  readonly #offers: ContractInvoker<'offers'>;

  constructor(context: GroupContext) {
    this.#offers = context.contract('offers');
  }

  async create(input: OfferInput, options: KeyOptions): Promise<Offer> {
    const body = {
      assetId: input.assetId,
      sellerId: input.sellerId,
      buyerId: input.buyerId,
      units: input.units,
      pricePerUnit: input.pricePerUnit,
      expiresAt: isoInstant(input.expiresAt),
    };
    const { offer } = await submitWithKey(this.#offers, 'Create', offerOutcome, options, {
      arguments: [JSON.stringify(body)],
    });
    return offer;
  }

  accept(offerId: string, options: KeyOptions): Promise<TradeResult> {
    return submitWithKey(this.#offers, 'Accept', decoders.tradeResult, options, { arguments: [offerId] });
  }

  async cancel(offerId: string, options: KeyOptions): Promise<Offer> {
    const { offer } = await submitWithKey(this.#offers, 'Cancel', offerOutcome, options, {
      arguments: [offerId],
    });
    return offer;
  }

  expire(offerId: string): Promise<Offer> {
    return this.#offers.submit('Expire', decoders.offer, { arguments: [offerId] });
  }

  get(offerId: string): Promise<Offer> {
    return this.#offers.evaluate('Get', decoders.offer, [offerId]);
  }
}
