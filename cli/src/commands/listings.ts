import type { Listing } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { buyerLimits, parseInstant, WHEN, withSaleTerms } from '../input/terms';
import {
  type Cell,
  type Format,
  type FormatOptions,
  formatOf,
  major,
  printResult,
  printRows,
  readable,
  type Rows,
  sentenceAndFacts,
} from '../output';
import { step } from '../progress';
import { addEscrowCancelCommand, type EscrowRecordKind } from './shared/escrow-cancel';
import { withExamples } from './shared/help';
import { listingFacts } from './shared/sales';
import { addShowCommand } from './shared/show-record';
import {
  type SignerOption,
  consentOf,
  withSigner,
  withQuiet,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './shared/write-options';

interface CreateOptions extends WriteOptions, SignerOption {
  readonly asset: string;
  readonly seller: string;
  readonly units: number;
  readonly price: number;
  readonly min?: number;
  readonly max?: number;
  readonly expires: Date;
}

const LISTING: EscrowRecordKind<Listing> = {
  idArgument: ['<listingId>', 'the listing, L + hex digits'],
  read: (c, id) => c.listings.get(id),
  cancel: (c, record, consent) => c.listings.cancel(record.listingId, record.sellerId, consent),
  released: (listing) => listing.remaining,
  facts: (listing) => listingFacts(listing),
};

/** `crowdledger listings open|create|cancel|show`. */
export function registerListingsCommands(program: Command): void {
  const listings = program
    .command('listings')
    .description('list the open listings and campaigns; create, cancel or show a listing');
  withExamples(listings, 'crowdledger listings open');
  addOpenCommand(listings);
  addCreateCommand(listings);
  addEscrowCancelCommand(listings, LISTING, {
    description: 'cancel an open listing and release its escrow; the seller signs',
    examples: ['crowdledger listings cancel L0123… --org platform1 --signer zhang.key'],
  });
  addShowCommand(listings, LISTING, {
    description: 'show one listing or campaign (LISTING_NOT_FOUND when there is none)',
    examples: ['crowdledger listings show L0123…', 'crowdledger listings show L0123… --json'],
  });
}

export const LISTING_HEAD = [
  'listing',
  'kind',
  'asset',
  'seller',
  'remaining',
  'units',
  'price_per_unit',
  'expires_at',
] as const;

/** The table a person reads: prices in yuan (major units); CSV keeps fen and snake_case names. */
export const LISTING_TABLE_HEAD = LISTING_HEAD.map(readable);

function listingRows(listings: readonly Listing[], format: Format): Rows {
  if (format === 'table') {
    const rows = listings.map((l) => [
      ...[l.listingId, l.kind, l.assetId, l.sellerId, l.remaining, l.units],
      ...[major(l.pricePerUnit), l.expiresAt],
    ]);
    return { head: LISTING_TABLE_HEAD, rows, json: listings };
  }
  return { head: LISTING_HEAD, rows: listingCells(listings), json: listings };
}

export function listingCells(listings: readonly Listing[]): Cell[][] {
  return listings.map((l) => [
    l.listingId,
    l.kind,
    l.assetId,
    l.sellerId,
    l.remaining,
    l.units,
    l.pricePerUnit,
    l.expiresAt,
  ]);
}

function addOpenCommand(listings: Command): void {
  const open = withConnectionOptions(
    listings.command('open').description('list the open listings and campaigns of every platform'),
  )
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (options: ConnectionOptions & FormatOptions) => {
      const found = await withClient(options, async (c) => {
        const all: Listing[] = [];
        for await (const l of c.listings.allOpen()) {
          all.push(l);
        }
        return all;
      });
      const format = formatOf(options);
      printRows(format, listingRows(found, format));
    });
  withExamples(
    open,
    'crowdledger listings open',
    'crowdledger listings open --json | jq length',
    'crowdledger listings open --csv > listings.csv',
  );
}

function addCreateCommand(listings: Command): void {
  const create = withSaleTerms(
    withQuiet(
      withSigner(
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
    'LISTING=$(crowdledger listings create --org platform1 --asset $ASSET --seller $ZHANG --units 100 --price 1250 --expires 7d --signer zhang.key -q)',
  );
}

async function createListing(options: CreateOptions): Promise<void> {
  const { min, max } = buyerLimits(options.units, options.min, options.max);
  const consent = await consentOf(options);
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
    step(`listing ${String(options.units)} units of ${options.asset} (signed, escrow)`, () =>
      c.listings.create(terms, consent),
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
