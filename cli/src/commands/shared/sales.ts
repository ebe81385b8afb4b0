// What the sale groups share: listings and campaigns take the same terms
// and both are listings on the ledger; a trade bought from a listing and an
// accepted offer end in the same kind of result.
import type { Listing, TradeResult } from '@crowdledger/client';
import type { Command } from 'commander';
import { CliError } from '../../errors';
import { parseMinorUnits, parseUnits } from '../../input/terms';
import { type Cell, major } from '../../output';

/** The help of --expires and --deadline. */
export const WHEN = 'ISO-8601 time with a zone, or a span from now: 90s, 30m, 24h, 7d';

/** The terms listings and campaigns share: asset, seller, units, price, and per-buyer limits. */
export function withSaleTerms(command: Command, buyer: string): Command {
  return command
    .requiredOption('--asset <assetId>', 'the asset offered')
    .requiredOption('--seller <userId>', "the selling user, one of the platform's")
    .requiredOption('--units <n>', 'units offered; they go into escrow', parseUnits)
    .requiredOption(
      '--price <minor>',
      "price per unit in the currency's minor unit (fen: 1250 is ¥12.50)",
      parseMinorUnits,
    )
    .option('--min <n>', `least units one ${buyer} may take (default 1)`, parseUnits)
    .option('--max <n>', `most units one ${buyer} may take (default: all)`, parseUnits);
}

/** Per-buyer limits: at least 1 and at most every unit when not given. */
export function buyerLimits(units: number, min?: number, max?: number): { min: number; max: number } {
  const limits = { min: min ?? 1, max: max ?? units };
  if (limits.min > limits.max) {
    throw new CliError(`--min ${String(limits.min)} is more than --max ${String(limits.max)}`);
  }
  return limits;
}

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
    facts.push(['target units', l.targetUnits], ['investors', l.investors ?? 0]);
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
