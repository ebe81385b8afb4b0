import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { getHolding, escrowingHolding, writeHoldingChanges } from '../ledger/assets';
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
 * Campaign listings (R9): a target, a deadline and per-investor limits.
 * Commitments reserve units and move nothing; after the deadline Settle
 * turns them into trades if the target was met, or releases them. Create,
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
   * targetUnits, pricePerUnit, minPerInvestor, maxPerInvestor, deadline};
   * signature: ES256 r‖s, base64url. All units are escrowed; the campaign
   * is a listing of kind CAMPAIGN (expiresAt = deadline).
   */
  @Transaction()
  @Returns('Listing')
  async Create(ctx: Context, request: string, signature: string): Promise<Listing> {
    const consent = await requireConsent(ctx, 'campaigns:Create', request, signature);
    const input = parseCampaignInput(consent.params, consent.user.userId, txTime(ctx.stub));
    return openListing(ctx, consent, input, input.targetUnits);
  }

  /**
   * Reserves units for an investor, by their platform. request: the
   * investor's signed campaigns:Commit {listingId, units, pricePerUnit}.
   * Writes the listing and the commitment.
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
    await putListing(ctx.stub, plan.listing);
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
    await putListing(ctx.stub, plan.listing);
    await deleteCommitment(ctx.stub, id, buyer.userId);
    emitEvent(ctx.stub, EventName.commitmentWithdrawn, changeEvent(plan));
    return new CommitmentResult(plan);
  }

  /**
   * After the deadline, by any platform or the registry admin; no signature
   * (the seller and each investor signed when the units were escrowed and
   * committed).
   */
  @Transaction()
  @Returns('CampaignSettlement')
  async Settle(ctx: Context, listingId: string): Promise<CampaignSettlement> {
    requireWriter(await currentCaller(ctx));
    const listing = requireKind(await requireListing(ctx, requireListingId(listingId)), 'CAMPAIGN');
    const at = txTime(ctx.stub);
    requireSettleable(listing, at);
    const commitments = await commitmentsOf(ctx.stub, listing.listingId);
    const plan = planSettlement({
      listing,
      commitments,
      sellerHolding: await escrowingHolding(ctx, listing),
      buyerHoldings: await holdingsOf(ctx, listing.assetId, commitments),
      txId: ctx.stub.getTxID(),
      at,
    });
    const revoked = await sellerExit(ctx, listing, plan.seller, at);
    await writeSettlement(ctx, { listing, commitments, plan });
    const { assetId, sellerId } = listing;
    await writeHoldingChanges(ctx, {
      assetId,
      sellerId,
      seller: plan.seller,
      credits: plan.credits,
      revoked,
    });
    const settlement = new CampaignSettlement({
      listing: plan.listing,
      trades: plan.trades,
      releases: plan.succeeded ? [] : commitments,
      certificatesDue: plan.credits.filter((credit) => credit.isNew).map((credit) => credit.holding.userId),
      sellerCertificateRevoked: revoked !== undefined,
    });
    emitEvent(ctx.stub, EventName.campaignSettled, settlement.toBytes());
    return settlement;
  }

  /** A campaign's current commitments, in buyer ID order (at most 200). */
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

/** Every read and check of Commit once the investor is known, and the records it would write; writes nothing. */
async function prepareCommit(ctx: Context, args: CommitArguments): Promise<CommitmentPlan> {
  const { buyer, listingId, units } = args;
  const listing = requireKind(await requireListing(ctx, listingId), 'CAMPAIGN');
  // Settlement credits the investor's holding; a pending one must be accepted before it can grow.
  const held = await getHolding(ctx.stub, listing.assetId, buyer.userId);
  if (held !== undefined) {
    requireAccepted(held, 'receive more units');
  }
  const previous = await getCommitment(ctx.stub, listingId, buyer.userId);
  const request = { buyerId: buyer.userId, buyerPlatform: buyer.platform, units };
  return planCommitment(listing, previous, request, txTime(ctx.stub));
}

/** CommitmentMade and CommitmentWithdrawn: {commitment, listing}. */
function changeEvent(change: CommitmentChange): Uint8Array {
  return canonicalBytes({ commitment: change.commitment.toJson(), listing: change.listing.toJson() });
}

async function holdingsOf(
  ctx: Context,
  assetId: string,
  commitments: readonly Commitment[],
): Promise<Map<string, Holding | undefined>> {
  const held = await Promise.all(
    commitments.map(async (c) => [c.buyerId, await getHolding(ctx.stub, assetId, c.buyerId)] as const),
  );
  return new Map(held);
}

/**
 * Keys Settle writes besides holdings: the listing (and its openListing
 * entry's delete), every commitment's delete, and on success each trade
 * with its index entries.
 */
async function writeSettlement(
  ctx: Context,
  settled: { listing: Listing; commitments: readonly Commitment[]; plan: SettlementPlan },
): Promise<void> {
  await putListing(ctx.stub, settled.plan.listing);
  for (const commitment of settled.commitments) {
    await deleteCommitment(ctx.stub, settled.listing.listingId, commitment.buyerId);
  }
  for (const trade of settled.plan.trades) {
    await putTrade(ctx.stub, trade);
  }
}
