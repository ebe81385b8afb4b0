import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { getHolding, escrowingHolding, writeHoldingChanges } from '../ledger/assets';
import { debitSeller } from '../rules/escrow';
import type { Trade } from '../model/trade';
import { commitmentsOf, deleteCommitment, getCommitment, putCommitment } from '../ledger/commitments';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { canonicalBytes } from '@crowdledger/protocol';
import { putListing, requireListing } from '../ledger/listings';
import { txTime } from '../ledger/state';
import { putTrade } from '../ledger/trades';
import { CampaignSettlement } from '../model/campaign-settlement';
import type { CheckResult } from '../model/check-result';
import type { Commitment } from '../model/commitment';
import { type CommitmentChange, CommitmentResult } from '../model/commitment-result';
import type { Holding } from '../model/holding';
import type { Listing } from '../model/listing';
import type { User } from '../model/user';
import {
  type CommitmentPlan,
  parseCampaignInput,
  planCommitment,
  planSettlement,
  planWithdrawal,
  requireSettleable,
  settlementCredits,
  type SettlementPlan,
} from '../rules/campaigns';
import { requireListingId, requireUserId } from '../values/ids';
import { requireSignedTerms } from '../rules/consent';
import { requirePublicReader, requireWriter } from '../rules/identity';
import { requireKind } from '../rules/listings';
import { requireUnits, requireUnitsText } from '../values/units';
import { requireAccepted } from '../rules/pending-holdings';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import { checkOnly, passedSentence } from '../rules/checks';
import { sellerExit } from '../steps/holdings';
import { recordConsent, requireActingFor, requireConsent, requireKey } from '../steps/consent';
import { openListing } from '../steps/listings';

/**
 * Campaign listings (R9): a target, a deadline, per-investor limits and an
 * allocation rule. Commitments reserve units and move nothing, each writing
 * only its own record; after the deadline Settle allocates the units by the
 * campaign's rule and turns them into trades if the target was met, or
 * releases every commitment. Create,
 * Commit and Withdraw carry the acting user's signed request and signature
 * as the arguments (R7).
 */
@Info({ title: 'campaigns', description: 'Crowdfunding campaigns: commit, withdraw, settle' })
export class CampaignsContract extends CrowdLedgerContract {
  constructor() {
    super('campaigns');
  }

  /**
   * request: the seller's signed campaigns:Create {assetId, units,
   * targetUnits, pricePerUnit, minPerInvestor, maxPerInvestor, deadline,
   * allocation?} (FIRST_COME when absent); signature: ES256 r‖s, base64url.
   * All units are escrowed; the campaign is a listing of kind CAMPAIGN
   * (expiresAt = deadline).
   */
  @Transaction()
  @Returns('Listing')
  async Create(ctx: Context, request: string, signature: string): Promise<Listing> {
    const consent = await requireConsent(ctx, 'campaigns:Create', request, signature);
    const input = parseCampaignInput(consent.params, consent.user.userId, txTime(ctx.stub));
    return openListing(ctx, consent, input, { targetUnits: input.targetUnits, allocation: input.allocation });
  }

  /**
   * Reserves units for an investor, by their platform. request: the
   * investor's signed campaigns:Commit {listingId, units, pricePerUnit}.
   * Writes only the investor's commitment (and their consent record): it
   * reads no shared total, so investors committing at once never conflict.
   */
  @Transaction()
  @Returns('CommitmentResult')
  async Commit(ctx: Context, request: string, signature: string): Promise<CommitmentResult> {
    const consent = await requireConsent(ctx, 'campaigns:Commit', request, signature);
    const { listingId, units, pricePerUnit } = consent.params;
    const plan = await prepareCommit(ctx, {
      buyer: consent.user,
      listingId: requireListingId(listingId, 'params.listingId'),
      units: requireUnits(units, 'params.units'),
    });
    const price = { signed: pricePerUnit, actual: plan.listing.pricePerUnit };
    requireSignedTerms(consent.request, { pricePerUnit: price }, `campaign ${plan.listing.listingId}`);
    await recordConsent(ctx, consent);
    await putCommitment(ctx.stub, plan.commitment);
    emitEvent(ctx.stub, EventName.commitmentMade, changeEvent(plan));
    return new CommitmentResult(plan);
  }

  /** Whether Commit would succeed now, without a signed request (see trades:CanBuy). */
  @Transaction(false)
  @Returns('CheckResult')
  async CanCommit(ctx: Context, listingId: string, buyerId: string, units: string): Promise<CheckResult> {
    return checkOnly(async () => {
      const buyer = await requireActingFor(ctx, requireUserId(buyerId, 'buyerId'), 'commit');
      await prepareCommit(ctx, {
        buyer,
        listingId: requireListingId(listingId),
        units: requireUnitsText(units, 'units'),
      });
      await requireKey(ctx, buyer.userId);
    }, passedSentence('campaigns:Commit'));
  }

  /**
   * Releases the investor's whole commitment, until 48 hours before the
   * deadline. request: the investor's signed campaigns:Withdraw {listingId}.
   * Deletes only the investor's commitment.
   */
  @Transaction()
  @Returns('CommitmentResult')
  async Withdraw(ctx: Context, request: string, signature: string): Promise<CommitmentResult> {
    const consent = await requireConsent(ctx, 'campaigns:Withdraw', request, signature);
    const id = requireListingId(consent.params.listingId, 'params.listingId');
    const buyer = consent.user;
    const listing = requireKind(await requireListing(ctx, id), 'CAMPAIGN');
    const previous = await getCommitment(ctx.stub, id, buyer.userId);
    const plan = planWithdrawal(listing, previous, buyer.userId, txTime(ctx.stub));
    await recordConsent(ctx, consent);
    await deleteCommitment(ctx.stub, id, buyer.userId);
    emitEvent(ctx.stub, EventName.commitmentWithdrawn, changeEvent(plan));
    return new CommitmentResult(plan);
  }

  /**
   * After the deadline, by any platform or the registry admin; no signature
   * (the seller and each investor signed when the units were escrowed and
   * committed). One step settles up to 200 commitments (rules/campaigns.ts
   * SETTLEMENT_BATCH); the result's `pending` says how many are left for
   * the next call. Every step rewrites the campaign, so two settling at
   * once conflict and one of them is retried (MVCC_READ_CONFLICT).
   */
  @Transaction()
  @Returns('CampaignSettlement')
  async Settle(ctx: Context, listingId: string): Promise<CampaignSettlement> {
    requireWriter(await currentCaller(ctx));
    const listing = requireKind(await requireListing(ctx, requireListingId(listingId)), 'CAMPAIGN');
    const at = txTime(ctx.stub);
    requireSettleable(listing, at);
    const plan = planSettlement({
      listing,
      commitments: await commitmentsOf(ctx.stub, listing.listingId),
      txId: ctx.stub.getTxID(),
      at,
    });
    const revoked = await moveUnits(ctx, listing, plan, at);
    await writeSettlement(ctx, plan);
    const settlement = new CampaignSettlement({
      listing: plan.listing,
      trades: plan.trades,
      releases: plan.settled.filter((c) => c.allocatedUnits === 0),
      settled: plan.settled,
      pending: plan.pending,
      certificatesDue: revoked.certificatesDue,
      sellerCertificateRevoked: revoked.sellerCertificateRevoked,
    });
    emitEvent(ctx.stub, EventName.campaignSettled, settlement.toBytes());
    return settlement;
  }

  /** A campaign's commitments, in buyer ID order; after settlement each with its outcome. */
  @Transaction(false)
  @Returns('Commitment[]')
  async Commitments(ctx: Context, listingId: string): Promise<Commitment[]> {
    requirePublicReader(await currentCaller(ctx));
    const listing = requireKind(await requireListing(ctx, requireListingId(listingId)), 'CAMPAIGN');
    return commitmentsOf(ctx.stub, listing.listingId);
  }
}

interface CommitArguments {
  readonly buyer: User;
  readonly listingId: string;
  readonly units: number;
}

/** Every read and check of Commit once the investor is known, and the record it would write; writes nothing. */
async function prepareCommit(ctx: Context, args: CommitArguments): Promise<CommitmentPlan> {
  const { buyer, listingId, units } = args;
  const listing = requireKind(await requireListing(ctx, listingId), 'CAMPAIGN');
  // Settlement credits the investor's holding; a pending one must be accepted before it can grow.
  const held = await getHolding(ctx.stub, listing.assetId, buyer.userId);
  if (held !== undefined) {
    requireAccepted(held, 'receive more units');
  }
  const previous = await getCommitment(ctx.stub, listingId, buyer.userId);
  const request = { buyerId: buyer.userId, buyerPlatform: buyer.platform, units, txId: ctx.stub.getTxID() };
  return planCommitment(listing, previous, request, txTime(ctx.stub));
}

/** CommitmentMade and CommitmentWithdrawn: {commitment, listing}. */
function changeEvent(change: CommitmentChange): Uint8Array {
  return canonicalBytes({ commitment: change.commitment.toJson(), listing: change.listing.toJson() });
}

async function holdingsOf(
  ctx: Context,
  assetId: string,
  trades: readonly Trade[],
): Promise<Map<string, Holding | undefined>> {
  const held = await Promise.all(
    trades.map(async (t) => [t.buyerId, await getHolding(ctx.stub, assetId, t.buyerId)] as const),
  );
  return new Map(held);
}

interface Moved {
  readonly certificatesDue: readonly string[];
  readonly sellerCertificateRevoked: boolean;
}

/**
 * A step's holding changes: allocated units leave the seller's escrow for
 * the investors, and the last step releases the rest. A step that moves
 * nothing leaves the seller's holding alone (an earlier step may have
 * emptied it).
 */
async function moveUnits(ctx: Context, listing: Listing, plan: SettlementPlan, at: Date): Promise<Moved> {
  if (plan.sold + plan.released === 0) {
    return { certificatesDue: [], sellerCertificateRevoked: false };
  }
  const seller = debitSeller(await escrowingHolding(ctx, listing), plan.sold, plan.released);
  const credits = settlementCredits(
    listing,
    plan.trades,
    await holdingsOf(ctx, listing.assetId, plan.trades),
  );
  const revoked = await sellerExit(ctx, listing, seller, at);
  const { assetId, sellerId } = listing;
  await writeHoldingChanges(ctx, { assetId, sellerId, seller, credits, revoked });
  return {
    certificatesDue: credits.filter((credit) => credit.isNew).map((credit) => credit.holding.userId),
    sellerCertificateRevoked: revoked !== undefined,
  };
}

/**
 * Keys a step writes besides holdings: the campaign (its openListing entry
 * goes on the last step), each settled commitment with its outcome, and
 * each trade with its index entries.
 */
async function writeSettlement(ctx: Context, plan: SettlementPlan): Promise<void> {
  await putListing(ctx.stub, plan.listing);
  for (const commitment of plan.settled) {
    await putCommitment(ctx.stub, commitment);
  }
  for (const trade of plan.trades) {
    await putTrade(ctx.stub, trade);
  }
}
