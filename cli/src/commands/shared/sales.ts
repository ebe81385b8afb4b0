// What the sale groups print alike: a campaign is a listing on the ledger,
// shown the same way; buying from a listing and accepting an offer both end
// in a trade, told the same way.
import type { CampaignAllocation, Listing, TradeResult } from '@crowdledger/client';
import { type Cell, major } from '../../output';

/** A listing or campaign as a field/value table. */
export function listingFacts(l: Listing): Cell[][] {
  const facts: Cell[][] = [
    ['listing', l.listingId],
    ['kind', l.kind],
    ['status', l.status],
    ['asset', l.assetId],
    ['seller', `${l.sellerId} (${l.sellerPlatform})`],
    ['units', l.units],
    ['remaining', l.remaining],
    ['price per unit', `${String(l.pricePerUnit)} (${major(l.pricePerUnit)})`],
    ['per buyer', `${String(l.minPerBuyer)} to ${String(l.maxPerBuyer)}`],
    [l.kind === 'CAMPAIGN' ? 'deadline' : 'expires', l.expiresAt],
    ['created', l.createdAt],
  ];
  if (l.targetUnits !== undefined) {
    facts.push(
      ['target units', l.targetUnits],
      ['allocation', allocationName(l.allocation ?? 'FIRST_COME')],
      [
        'investors',
        l.status === 'OPEN' ? 'counted at settlement (campaigns commitments)' : (l.investors ?? 0),
      ],
    );
  }
  return facts;
}

/** What `trades buy` and `offers accept` print: the trade, and the certificates it changed. */
export function boughtText(result: TradeResult, org: string): string {
  const t = result.trade;
  const lines = [
    `${t.buyerId} bought ${String(t.units)} units of ${t.assetId} from ${t.sellerId} for ${major(t.amount)} (${String(t.amount)} minor units); trade ${t.tradeId}.`,
  ];
  if (result.buyerCertificateDue) {
    lines.push(
      `The buyer held none before and is due a certificate: crowdledger certificates issue ${t.assetId} ${t.buyerId} --org ${org} --out <folder>`,
    );
  }
  if (result.sellerCertificateRevoked) {
    lines.push(`The seller sold their last unit: their certificate is revoked on the ledger.`);
  }
  return lines.join('\n');
}

/** The CLI's name of an allocation rule: `first-come` or `pro-rata`. */
export function allocationName(rule: CampaignAllocation): string {
  return rule.toLowerCase().replace('_', '-');
}
