import { object } from '../decode';
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
import { type Instant, isoInstant, type KeyOptions, submitWithKey } from './trading';

/** A campaign to create (R9): a listing with a target and a deadline. Prices are whole fen. */
export interface CampaignInput {
  /** The asset offered. */
  readonly assetId: string;
  /** The selling user, one of this platform's; all `units` are escrowed. */
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
   * units, with the seller's key. A wrong or locked key throws
   * BAD_TRANSACTION_KEY or LOCKED with stage `commit` and the transaction
   * ID: that refusal WAS committed (the failure count is kept) and nothing
   * else was written.
   */
  create(input: CampaignInput, options: KeyOptions): Promise<Listing>;
  /**
   * Reserves units for one of this platform's users, with the investor's
   * key; nothing moves until settlement. Key refusals are thrown as in
   * {@link CampaignsApi.create} (committed).
   */
  commit(listingId: string, buyerId: string, units: number, options: KeyOptions): Promise<CommitmentChange>;
  /**
   * Releases the investor's whole commitment, until 48 hours before the
   * deadline (WITHDRAWAL_CLOSED after), with their key; refusals as in create.
   */
  withdraw(listingId: string, buyerId: string, options: KeyOptions): Promise<CommitmentChange>;
  /**
   * After the deadline (CAMPAIGN_OPEN before), by any platform; no key.
   * SUCCEEDED turns every commitment into a trade; FAILED releases them.
   * Each of `certificatesDue` is due a certificate.
   */
  settle(listingId: string): Promise<CampaignSettlement>;
  /** Whether commit would succeed now: every check but the key itself. */
  canCommit(listingId: string, buyerId: string, units: number): Promise<CheckResult>;
  /** A campaign's current commitments, in buyer ID order (at most 200). */
  commitments(listingId: string): Promise<readonly Commitment[]>;
}

const listingOutcome = object<{ listing: Listing }>({ listing: decoders.listing });

/** The {@link CampaignsApi} over the `campaigns` contract. */
export class CampaignsClient implements CampaignsApi {
  readonly #campaigns: ContractInvoker<'campaigns'>;

  constructor(context: GroupContext) {
    this.#campaigns = context.contract('campaigns');
  }

  async create(input: CampaignInput, options: KeyOptions): Promise<Listing> {
    const body = {
      assetId: input.assetId,
      sellerId: input.sellerId,
      units: input.units,
      targetUnits: input.targetUnits,
      pricePerUnit: input.pricePerUnit,
      minPerInvestor: input.minPerInvestor,
      maxPerInvestor: input.maxPerInvestor,
      deadline: isoInstant(input.deadline),
    };
    const { listing } = await submitWithKey(this.#campaigns, 'Create', listingOutcome, options, {
      arguments: [JSON.stringify(body)],
    });
    return listing;
  }

  commit(listingId: string, buyerId: string, units: number, options: KeyOptions): Promise<CommitmentChange> {
    return submitWithKey(this.#campaigns, 'Commit', decoders.commitmentChange, options, {
      arguments: [listingId, buyerId, String(units)],
    });
  }

  withdraw(listingId: string, buyerId: string, options: KeyOptions): Promise<CommitmentChange> {
    return submitWithKey(this.#campaigns, 'Withdraw', decoders.commitmentChange, options, {
      arguments: [listingId, buyerId],
    });
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
