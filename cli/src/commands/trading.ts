import type { Listing, TradeResult } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../connection';
import { CliError } from '../errors';
import { parseInstant, parseMinorUnits, parseUnits } from '../input/terms';
import { type Cell, major, printResult, sentenceAndFacts } from '../output';
import { step } from '../progress';
import { addEscrowCancelCommand, type EscrowRecordKind } from './shared/escrow-cancel';
import { withExamples } from './shared/help';
import { addShowCommand } from './shared/show-record';
import {
  groupOf,
  type KeyFileOption,
  transactionKey,
  withKeyFile,
  withQuiet,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './shared/write-options';

interface CreateOptions extends WriteOptions, KeyFileOption {
  readonly asset: string;
  readonly seller: string;
  readonly units: number;
  readonly price: number;
  readonly min?: number;
  readonly max?: number;
  readonly expires: Date;
}

interface BuyOptions extends WriteOptions, KeyFileOption {
  readonly buyer: string;
  readonly units: number;
}

const LISTING: EscrowRecordKind<Listing> = {
  idArgument: ['<listingId>', 'the listing, L + hex digits'],
  read: (c, id) => c.listings.get(id),
  cancel: (c, id, key) => c.listings.cancel(id, key),
  released: (listing) => listing.remaining,
  facts: (listing) => listingFacts(listing),
};

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

/** `crowdledger listings create|cancel|show` and `trades buy|check`, beside the reads of records.ts. */
export function registerTradingCommands(program: Command): void {
  const listings = groupOf(
    program,
    'listings',
    'create and cancel listings (R8); read listings and campaigns',
  );
  addCreateCommand(listings);
  addEscrowCancelCommand(listings, LISTING, {
    description: "cancel an open listing and release its escrow, with the seller's key",
    examples: ['crowdledger listings cancel L0123… --org platform1'],
  });
  addShowCommand(listings, LISTING, {
    description: 'show one listing or campaign (LISTING_NOT_FOUND when there is none)',
    examples: ['crowdledger listings show L0123…', 'crowdledger listings show L0123… --json'],
  });
  const trades = groupOf(program, 'trades', 'buy from listings (R5, R6); read the trade register');
  addBuyCommand(trades);
  addCheckCommand(trades);
}

/** Per-buyer limits: at least 1 and at most every unit when not given. */
export function buyerLimits(units: number, min?: number, max?: number): { min: number; max: number } {
  const limits = { min: min ?? 1, max: max ?? units };
  if (limits.min > limits.max) {
    throw new CliError(`--min ${String(limits.min)} is more than --max ${String(limits.max)}`);
  }
  return limits;
}

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

/** The help of --expires and --deadline. */
export const WHEN = 'ISO-8601 time with a zone, or a span from now: 90s, 30m, 24h, 7d';

function addCreateCommand(listings: Command): void {
  const create = withSaleTerms(
    withQuiet(
      withKeyFile(
        withWriteOptions(
          listings
            .command('create')
            .description(
              "list a seller's units at a fixed price for buyers of every platform; the units go into escrow",
            ),
        ),
        "seller's",
      ),
      'listing ID',
    ),
    'buyer',
  )
    .requiredOption('--expires <when>', WHEN, (v) => parseInstant(v))
    .action(createListing);
  withExamples(
    create,
    'crowdledger listings create --org platform1 --asset A0123… --seller U0456… --units 100 --price 1250 --max 100 --expires 24h',
    'LISTING=$(crowdledger listings create --org platform1 --asset $ASSET --seller $ZHANG --units 100 --price 1250 --expires 7d --key-file zhang.pin -q)',
  );
}

async function createListing(options: CreateOptions): Promise<void> {
  const { min, max } = buyerLimits(options.units, options.min, options.max);
  const key = await transactionKey(options, options.seller);
  const terms = {
    assetId: options.asset,
    sellerId: options.seller,
    units: options.units,
    pricePerUnit: options.price,
    minPerBuyer: min,
    maxPerBuyer: max,
    expiresAt: options.expires,
  };
  const listing = await withClient(writeConnection(options), (c) =>
    step(`listing ${String(options.units)} units of ${options.asset} (key check, escrow)`, () =>
      c.listings.create(terms, key),
    ),
  );
  printResult(options, {
    value: listing,
    id: listing.listingId,
    human: () =>
      sentenceAndFacts(
        `Listed ${String(listing.units)} units as ${listing.listingId}; they are in escrow until sold, cancelled or expired.`,
        listingFacts(listing),
      ),
  });
}

function withBuyOptions(command: Command): Command {
  return command
    .argument('<listingId>', 'the listing, L + hex digits')
    .requiredOption('--buyer <userId>', "the buying user, one of the platform's")
    .requiredOption('--units <n>', 'units to buy', parseUnits);
}

function addBuyCommand(trades: Command): void {
  const buy = withKeyFile(
    withWriteOptions(
      withBuyOptions(
        trades
          .command('buy')
          .description(
            "buy units from an open listing of any platform for one of the platform's users, with their key",
          ),
      ),
    ),
    "buyer's",
  ).action(async (listingId: string, options: BuyOptions) => {
    const key = await transactionKey(options, options.buyer);
    const result = await withClient(writeConnection(options), (c) =>
      step(`buying ${String(options.units)} units from ${listingId} (key check, trade)`, () =>
        c.trades.buy(listingId, options.buyer, options.units, key),
      ),
    );
    printResult(options, {
      value: result,
      id: result.trade.tradeId,
      human: () => boughtText(result, options.org),
    });
  });
  withExamples(
    buy,
    'crowdledger trades buy L0123… --org platform2 --buyer U0456… --units 30',
    'crowdledger trades buy L0123… --org platform2 --buyer U0456… --units 30 --key-file wang.pin --json',
  );
}

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

function addCheckCommand(trades: Command): void {
  const check = withWriteOptions(
    withBuyOptions(
      trades
        .command('check')
        .description(
          'say whether `trades buy` would succeed now: every check but the key (exit 1 when it would fail)',
        ),
    ),
  ).action(async (listingId: string, options: BuyOptions) => {
    const verdict = await withClient(writeConnection(options), (c) =>
      c.trades.canBuy(listingId, options.buyer, options.units),
    );
    printResult(options, {
      value: verdict,
      human: () =>
        verdict.ok
          ? `would succeed: ${verdict.sentence}`
          : `would fail: ${verdict.code ?? ''}: ${verdict.sentence}`,
    });
    if (!verdict.ok) {
      process.exitCode = 1;
    }
  });
  withExamples(check, 'crowdledger trades check L0123… --org platform2 --buyer U0456… --units 30');
}
