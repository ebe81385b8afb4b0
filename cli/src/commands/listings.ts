import type { ExpireDueProgress, ExpireDueReport, Listing } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { CliError } from '../errors';
import { buyerLimits, parseInstant, parseWholeIn, WHEN, withSaleTerms } from '../input/terms';
import {
  type Cell,
  count,
  type Format,
  type FormatOptions,
  formatOf,
  major,
  printResult,
  printRows,
  readable,
  type Rows,
  sentenceAndFacts,
  formatTable,
} from '../output';
import { type LiveLine, liveLine, step } from '../progress';
import {
  addEscrowCancelCommand,
  addEscrowExpireCommand,
  type EscrowRecordKind,
} from './shared/escrow-release';
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
  expire: (c, id) => c.listings.expire(id),
  released: (listing) => listing.remaining,
  facts: (listing) => listingFacts(listing),
};

interface ExpireDueCommandOptions extends WriteOptions {
  readonly pageSize?: number;
  readonly concurrency?: number;
}

/** `crowdledger listings open|create|cancel|expire|expire-due|show`. */
export function registerListingsCommands(program: Command): void {
  const listings = program
    .command('listings')
    .description(
      'list the open listings and campaigns; create, cancel, expire or show a listing; expire every one past its time',
    );
  withExamples(listings, 'crowdledger listings open', 'crowdledger listings expire-due --org platform2');
  addOpenCommand(listings);
  addCreateCommand(listings);
  addEscrowCancelCommand(listings, LISTING, {
    description: 'cancel an open listing and release its escrow; the seller signs',
    examples: ['crowdledger listings cancel L0123… --org platform1 --signer zhang.key'],
  });
  addEscrowExpireCommand(listings, LISTING, {
    description:
      'expire an open listing past its time and release its escrow to the seller; any platform may, no key ' +
      '(NOT_EXPIRED before its time; campaigns are settled instead)',
    examples: ['crowdledger listings expire L0123… --org platform2'],
  });
  addExpireDueCommand(listings);
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

function addExpireDueCommand(listings: Command): void {
  const expireDue = withWriteOptions(
    listings
      .command('expire-due')
      .description(
        'housekeeping any platform may run, e.g. from cron: page through the open listings of every platform ' +
          'and expire each one past its time, releasing its escrow; campaigns past their deadline are named ' +
          'for `campaigns settle`. Exit 1 when any expiry failed (the next run tries it again)',
      ),
  )
    .option(
      '--page-size <n>',
      'open listings read per page, 1 to 500 (default 100)',
      parseWholeIn(1, 500, 'a page size'),
    )
    .option(
      '--concurrency <n>',
      'expire transactions in flight at once, 1 to 16 (default 4)',
      parseWholeIn(1, 16, 'a number of transactions'),
    )
    .action(expireDueListings);
  withExamples(
    expireDue,
    'crowdledger listings expire-due --org platform2',
    'crowdledger listings expire-due --org platform1 --json | jq .expired',
  );
}

async function expireDueListings(options: ExpireDueCommandOptions): Promise<void> {
  const progress = liveLine();
  const report = await withClient(writeConnection(options), (c) =>
    c.listings.expireDue({
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      onProgress: expiryProgress(progress),
    }),
  ).finally(progress.done);
  printResult(options, { value: expiryJson(report), human: () => expiryText(report, options.org) });
  if (report.failed.length > 0) {
    const codes = [...new Set(report.failed.map((f) => f.code))].join(', ');
    throw new CliError(
      `${count(report.failed.length, 'listing')} could not be expired (${codes}); the next run tries again`,
    );
  }
}

/** A line per page read in a log; on a terminal, the counts as each listing is done. */
export function expiryProgress(line: LiveLine): (progress: ExpireDueProgress) => void {
  let pages = 0;
  return (p) => {
    const text =
      `page ${String(p.pagesRead)}: ${count(p.examined, 'open listing')} read, ${String(p.due)} due; ` +
      `${String(p.expired)} expired, ${String(p.skipped)} skipped, ${String(p.failed)} failed so far`;
    if (p.pagesRead === pages) {
      line.show(text);
    } else {
      pages = p.pagesRead;
      line.milestone(text);
    }
  };
}

/** What --json prints: the report without the error objects (their code and sentence stay). */
export function expiryJson(report: ExpireDueReport): object {
  return {
    expired: report.expired,
    skipped: report.skipped,
    failed: report.failed.map(({ listingId, code, sentence }) => ({ listingId, code, sentence })),
    unsettledCampaigns: report.unsettledCampaigns,
    pagesRead: report.pagesRead,
    examined: report.examined,
  };
}

export function expiryText(report: ExpireDueReport, org: string): string {
  const { expired, skipped, failed, unsettledCampaigns: campaigns } = report;
  const read = `${count(report.examined, 'open listing')} read in ${count(report.pagesRead, 'page')}`;
  const handled = expired.length + skipped.length + failed.length;
  const lines = [
    handled === 0
      ? `Nothing was due: ${read}.`
      : `Expired ${count(expired.length, 'listing')}, skipped ${String(skipped.length)}, ${String(failed.length)} failed; ${read}.`,
  ];
  if (handled > 0) {
    const rows: Cell[][] = [
      ...expired.map((id) => [id, 'expired', '', '']),
      ...skipped.map((s) => [s.listingId, 'skipped', s.code, s.sentence]),
      ...failed.map((f) => [f.listingId, 'failed', f.code, f.sentence]),
    ];
    lines.push('', formatTable(['listing', 'outcome', 'code', 'why'], rows));
  }
  if (skipped.length > 0) {
    lines.push('Skipped listings were closed by another transaction since the page was read: nothing to do.');
  }
  if (campaigns.length > 0) {
    lines.push(
      '',
      `${count(campaigns.length, 'campaign')} past the deadline: campaigns are settled, not expired (any platform may):`,
      ...campaigns.map((id) => `  crowdledger campaigns settle ${id} --org ${org}`),
    );
  }
  return lines.join('\n');
}
