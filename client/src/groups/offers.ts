import type { ConsentOptions } from '../consent';
import type { ContractInvoker } from '../invoker';
import { decoders, type Offer, type TradeResult } from '../model';
import type { GroupContext } from './context';
import { type Instant, isoInstant, submitSigned } from './trading';

/** The options of accepting: the buyer's signer, and the terms they agreed to. */
export interface AcceptOptions extends ConsentOptions {
  /** Units as shown to the buyer; read from the offer when absent (with pricePerUnit, one evaluate). */
  readonly units?: number;
  /** Fen per unit as shown to the buyer; read from the offer when absent. */
  readonly pricePerUnit?: number;
}

/** A private offer to create: one seller's units for one named buyer. Prices are whole fen. */
export interface OfferInput {
  /** The asset offered. */
  readonly assetId: string;
  /** The selling user, one of this platform's, who signs; their units are escrowed. */
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
   * Creates an offer, escrowing the seller's units, with the seller's
   * signature over its terms. A refused signature (CONSENT_…) is thrown,
   * and nothing was written.
   */
  create(input: OfferInput, options: ConsentOptions): Promise<Offer>;
  /**
   * The buyer (one of this platform's users) takes the whole offer, with
   * the buyer's signature over {offerId, units, pricePerUnit}: the offer's
   * terms (CONSENT_TERMS_MISMATCH otherwise).
   */
  accept(offerId: string, buyerId: string, options: AcceptOptions): Promise<TradeResult>;
  /** Withdraws an open offer and releases its escrow, with the seller's signature. */
  cancel(offerId: string, sellerId: string, options: ConsentOptions): Promise<Offer>;
  /**
   * Expires an open offer at or after its expiresAt and releases its escrow
   * to the seller's holding. Any platform or the registry admin may; no
   * signature. Throws NOT_EXPIRED until one proposal time window (30 seconds)
   * after expiresAt, and OFFER_CLOSED when it is no longer
   * open (nothing is written either way). There is no expireDue for offers:
   * the ledger keeps no index of open offers to page through, so a platform
   * expires the offers it knows of (its sellers', or those the OfferCreated
   * events name).
   */
  expire(offerId: string): Promise<Offer>;
  /** An offer; OFFER_NOT_FOUND when there is none. */
  get(offerId: string): Promise<Offer>;
}

/** The {@link OffersApi} over the `offers` contract. */
export class OffersClient implements OffersApi {
  readonly #offers: ContractInvoker<'offers'>;
  readonly #context: GroupContext;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#offers = context.contract('offers');
  }

  async create(input: OfferInput, options: ConsentOptions): Promise<Offer> {
    const params = {
      assetId: input.assetId,
      buyerId: input.buyerId,
      units: input.units,
      pricePerUnit: input.pricePerUnit,
      expiresAt: isoInstant(input.expiresAt, 'expiresAt'),
    };
    const call = { action: 'offers:Create', userId: input.sellerId, params, options } as const;
    return submitSigned(this.#offers, decoders.offer, call, this.#context.consent);
  }

  async accept(offerId: string, buyerId: string, options: AcceptOptions): Promise<TradeResult> {
    const { units, pricePerUnit } =
      options.units !== undefined && options.pricePerUnit !== undefined
        ? { units: options.units, pricePerUnit: options.pricePerUnit }
        : await this.get(offerId);
    const params = {
      offerId,
      units: options.units ?? units,
      pricePerUnit: options.pricePerUnit ?? pricePerUnit,
    };
    const call = { action: 'offers:Accept', userId: buyerId, params, options } as const;
    return submitSigned(this.#offers, decoders.tradeResult, call, this.#context.consent);
  }

  cancel(offerId: string, sellerId: string, options: ConsentOptions): Promise<Offer> {
    const call = { action: 'offers:Cancel', userId: sellerId, params: { offerId }, options } as const;
    return submitSigned(this.#offers, decoders.offer, call, this.#context.consent);
  }

  expire(offerId: string): Promise<Offer> {
    return this.#offers.submit('Expire', decoders.offer, { arguments: [offerId] });
  }

  get(offerId: string): Promise<Offer> {
    return this.#offers.evaluate('Get', decoders.offer, [offerId]);
  }
}
