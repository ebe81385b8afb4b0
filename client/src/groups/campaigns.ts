import type { ConsentOptions } from '../consent';
import type { ContractInvoker } from '../invoker';
import {
  type CampaignAllocation,
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
  /**
   * How the units are shared when investors commit more than `units`:
   * FIRST_COME (the default) or PRO_RATA; see the protocol's CAMPAIGN_ALLOCATIONS.
   */
  readonly allocation?: CampaignAllocation;
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
   * settlement. Writes only the investor's commitment, so any number of
   * investors commit at once without conflicting; the campaign may be
   * oversubscribed, and settlement allocates by its rule. Closes one
   * proposal time window (30 seconds) before the deadline (CAMPAIGN_CLOSED).
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
   * (CAMPAIGN_OPEN before), by any platform; no signature. Runs settlement
   * steps (200 commitments each) until none is pending and returns them
   * merged: with the target met each commitment is allocated units by the
   * campaign's rule (allocatedUnits, amount and refund in fen on each of
   * `settled`) and those become trades; otherwise all are released. Each of
   * `certificatesDue` is due a certificate.
   */
  settle(listingId: string): Promise<CampaignSettlement>;
  /** Whether commit would succeed now: every check but the signature (that the investor has a key is checked). */
  canCommit(listingId: string, buyerId: string, units: number): Promise<CheckResult>;
  /** A campaign's commitments, in buyer ID order; once settled, each with its outcome. */
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
      allocation: input.allocation ?? 'FIRST_COME',
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

  async settle(listingId: string): Promise<CampaignSettlement> {
    const steps: CampaignSettlement[] = [];
    let step: CampaignSettlement;
    do {
      step = await this.#campaigns.submit('Settle', decoders.campaignSettlement, { arguments: [listingId] });
      steps.push(step);
    } while (step.pending > 0);
    return mergeSteps(steps, step);
  }

  canCommit(listingId: string, buyerId: string, units: number): Promise<CheckResult> {
    return this.#campaigns.evaluate('CanCommit', decoders.checkResult, [listingId, buyerId, String(units)]);
  }

  commitments(listingId: string): Promise<readonly Commitment[]> {
    return this.#campaigns.evaluate('Commitments', decoders.commitments, [listingId]);
  }
}

/** Settlement steps as one settlement: the last step's campaign, everything else in step order. */
function mergeSteps(steps: readonly CampaignSettlement[], last: CampaignSettlement): CampaignSettlement {
  return {
    listing: last.listing,
    trades: steps.flatMap((s) => s.trades),
    releases: steps.flatMap((s) => s.releases),
    settled: steps.flatMap((s) => s.settled),
    pending: 0,
    certificatesDue: steps.flatMap((s) => s.certificatesDue),
    sellerCertificateRevoked: steps.some((s) => s.sellerCertificateRevoked),
  };
}
