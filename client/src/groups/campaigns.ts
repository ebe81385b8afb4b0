import type { ConsentOptions } from '../consent';
import type { ContractInvoker } from '../invoker';
import {
  type CampaignSettlement,
  type CheckResult,
  type Commitment,
  type CommitmentChange,
  decoders,
  type Listing,
} from '../model';
import type { GroupContext } from './context';
import { type Instant, isoInstant, submitSigned } from './trading';

/** The options of a commitment: the investor's signer, and the price they agreed to. */
export interface CommitOptions extends ConsentOptions {
  /** Fen per unit as shown to the investor; read from the campaign (one evaluate) when absent. */
  readonly pricePerUnit?: number;
}

/** A campaign to create (R9): a listing with a target and a deadline. Prices are whole fen. */
export interface CampaignInput {
  /** The asset offered. */
  readonly assetId: string;
  /** The selling user, one of this platform's, who signs; all `units` are escrowed. */
  readonly sellerId: string;
  /** Units offered. */
  readonly units: number;
  /** Committed units needed by the deadline for the campaign to succeed; at most `units`. */
  readonly targetUnits: number;
  /** Whole fen per unit. */
  readonly pricePerUnit: number;
  /** Least units one investor may commit. */
  readonly minPerInvestor: number;
  /** Most units one investor may commit. */
  readonly maxPerInvestor: number;
  /** When commitments close and the campaign may be settled; must be in the future. */
  readonly deadline: Instant;
}

/** Crowdfunding campaigns (R9): create, commit, withdraw, settle. */
export interface CampaignsApi {
  /**
   * Creates a campaign (a listing of kind CAMPAIGN), escrowing the seller's
   * units, with the seller's signature over its terms. A refused signature
   * (CONSENT_…) is thrown, and nothing was written.
   */
  create(input: CampaignInput, options: ConsentOptions): Promise<Listing>;
  /**
   * Reserves units for one of this platform's users, with the investor's
   * signature over {listingId, units, pricePerUnit}; nothing moves until
   * settlement. Closes one proposal time window (30 seconds) before the
   * deadline (CAMPAIGN_CLOSED).
   */
  commit(
    listingId: string,
    buyerId: string,
    units: number,
    options: CommitOptions,
  ): Promise<CommitmentChange>;
  /**
   * Releases the investor's whole commitment, with their signature, until
   * 48 hours and one proposal time window before the deadline
   * (WITHDRAWAL_CLOSED after).
   */
  withdraw(listingId: string, buyerId: string, options: ConsentOptions): Promise<CommitmentChange>;
  /**
   * From one proposal time window (30 seconds) after the deadline
   * (CAMPAIGN_OPEN before), by any platform; no signature.
   * SUCCEEDED turns every commitment into a trade; FAILED releases them.
   * Each of `certificatesDue` is due a certificate.
   */
  settle(listingId: string): Promise<CampaignSettlement>;
  /** Whether commit would succeed now: every check but the signature (that the investor has a key is checked). */
  canCommit(listingId: string, buyerId: string, units: number): Promise<CheckResult>;
  /** A campaign's current commitments, in buyer ID order (at most 200). */
  commitments(listingId: string): Promise<readonly Commitment[]>;
}

/** The {@link CampaignsApi} over the `campaigns` contract. */
export class CampaignsClient implements CampaignsApi {
  readonly #campaigns: ContractInvoker<'campaigns'>;
  readonly #listings: ContractInvoker<'listings'>;
  readonly #context: GroupContext;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#campaigns = context.contract('campaigns');
    this.#listings = context.contract('listings');
  }

  async create(input: CampaignInput, options: ConsentOptions): Promise<Listing> {
    const params = {
      assetId: input.assetId,
      units: input.units,
      targetUnits: input.targetUnits,
      pricePerUnit: input.pricePerUnit,
      minPerInvestor: input.minPerInvestor,
      maxPerInvestor: input.maxPerInvestor,
      deadline: isoInstant(input.deadline, 'deadline'),
    };
    const call = { action: 'campaigns:Create', userId: input.sellerId, params, options } as const;
    return submitSigned(this.#campaigns, decoders.listing, call, this.#context.consent);
  }

  async commit(
    listingId: string,
    buyerId: string,
    units: number,
    options: CommitOptions,
  ): Promise<CommitmentChange> {
    const pricePerUnit =
      options.pricePerUnit ??
      (await this.#listings.evaluate('Get', decoders.listing, [listingId])).pricePerUnit;
    const call = {
      action: 'campaigns:Commit',
      userId: buyerId,
      params: { listingId, units, pricePerUnit },
      options,
    } as const;
    return submitSigned(this.#campaigns, decoders.commitmentChange, call, this.#context.consent);
  }

  withdraw(listingId: string, buyerId: string, options: ConsentOptions): Promise<CommitmentChange> {
    const call = { action: 'campaigns:Withdraw', userId: buyerId, params: { listingId }, options } as const;
    return submitSigned(this.#campaigns, decoders.commitmentChange, call, this.#context.consent);
  }

  settle(listingId: string): Promise<CampaignSettlement> {
    return this.#campaigns.submit('Settle', decoders.campaignSettlement, { arguments: [listingId] });
  }

  canCommit(listingId: string, buyerId: string, units: number): Promise<CheckResult> {
    return this.#campaigns.evaluate('CanCommit', decoders.checkResult, [listingId, buyerId, String(units)]);
  }

  commitments(listingId: string): Promise<readonly Commitment[]> {
    return this.#campaigns.evaluate('Commitments', decoders.commitments, [listingId]);
  }
}
