import {
  allPages,
  type CrowdLedgerClient,
  type Listing,
  type Page,
  type PageRequest,
  type TimeRange,
  type Trade,
} from '@crowdledger/client';
import { type Command, Option } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { CliError } from '../errors';
import { type Cell, type Format, formatOf, major, printRows, type Rows } from '../output';
import { withExamples } from './shared/help';
import { registerAudit } from './history';

interface OutputOptions extends ConnectionOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
}

export const TRADE_HEAD = [
  'trade',
  'via',
  'asset',
  'seller',
  'buyer',
  'units',
  'price_per_unit',
  'amount',
  'executed_at',
] as const;

/** A CSV column name as a person reads it in a table: `price_per_unit` is "price/unit". */
function readable(column: string): string {
  return column === 'price_per_unit' ? 'price/unit' : column.replaceAll('_', ' ');
}

/** The table a person reads: prices in yuan (major units); CSV keeps fen and snake_case names. */
export const TRADE_TABLE_HEAD = TRADE_HEAD.map(readable);

function tradeRows(trades: readonly Trade[], format: Format): Rows {
  if (format === 'table') {
    const rows = trades.map((t) => [
      ...[t.tradeId, t.via, t.assetId, t.sellerId, t.buyerId, t.units],
      ...[major(t.pricePerUnit), major(t.amount), t.executedAt],
    ]);
    return { head: TRADE_TABLE_HEAD, rows, json: trades };
  }
  return { head: TRADE_HEAD, rows: tradeCells(trades), json: trades };
}

export function tradeCells(trades: readonly Trade[]): Cell[][] {
  return trades.map((t) => [
    t.tradeId,
    t.via,
    t.assetId,
    t.sellerId,
    t.buyerId,
    t.units,
    t.pricePerUnit,
    t.amount,
    t.executedAt,
  ]);
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

/** `crowdledger trades|listings|audit …`: read-only compliance queries. */
export function registerRecordCommands(program: Command): void {
  registerTrades(program);
  registerListings(program);
  registerAudit(program);
}

interface TradeListOptions extends OutputOptions {
  readonly asset?: string;
  readonly user?: string;
  readonly platform?: string;
  readonly from?: string;
  readonly to?: string;
}

type TradePageReader = (client: CrowdLedgerClient, page: PageRequest) => Promise<Page<Trade>>;

function rangeOf(options: TradeListOptions): TimeRange {
  return {
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
  };
}

/** The one paged read the options ask for; --from/--to go with --platform or stand alone. */
export function tradeReader(options: TradeListOptions): TradePageReader {
  const { asset, user, platform } = options;
  const range = rangeOf(options);
  if (asset !== undefined) {
    return (c, page) => c.trades.byAsset(asset, page);
  }
  if (user !== undefined) {
    return (c, page) => c.trades.byUser(user, page);
  }
  if (platform !== undefined) {
    return (c, page) => c.trades.byPlatform(platform, range, page);
  }
  if (options.from === undefined && options.to === undefined) {
    throw new CliError(
      'give --asset <assetId>, --user <userId>, --platform <mspId> or --from/--to <instant>',
    );
  }
  return (c, page) => c.trades.byTime(range, page);
}

const TIME_OPTION_HELP = 'ISO-8601 instant with a zone, e.g. 2025-01-31T08:00:00Z or 2025-01-31T16:00+08:00';
// Time ranges are read from the time indexes, which know platforms but not assets or users.
const assetOption = (): Option =>
  new Option('--asset <assetId>', "the asset's trades").conflicts(['user', 'platform', 'from', 'to']);
const userOption = (): Option =>
  new Option('--user <userId>', "the user's trades, as buyer or seller").conflicts([
    'platform',
    'from',
    'to',
  ]);

function registerTrades(program: Command): void {
  const trades = program.command('trades').description('read the trade register');
  withExamples(trades, 'crowdledger trades list --asset A0123…');

  const list = withConnectionOptions(
    trades
      .command('list')
      .description(
        'list every trade of an asset, of a user or of a platform (as buyer or seller), or in a time range (all pages)',
      ),
  )
    .addOption(assetOption())
    .addOption(userOption())
    .option('--platform <mspId>', "trades of the platform's users (e.g. Platform2MSP), in time order")
    .option('--from <instant>', `executed at or after: ${TIME_OPTION_HELP}`)
    .option('--to <instant>', 'executed before (excluded), same form')
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (options: TradeListOptions) => {
      const format = formatOf(options);
      const read = tradeReader(options);
      const found = await withClient(options, async (c) => {
        const all: Trade[] = [];
        for await (const t of allPages((page) => read(c, page))) {
          all.push(t);
        }
        return all;
      });
      printRows(format, tradeRows(found, format));
    });
  withExamples(
    list,
    'crowdledger trades list --asset A0123…',
    'crowdledger trades list --user U0123… --csv > trades.csv',
    'crowdledger trades list --platform Platform2MSP --from 2025-01-01T00:00:00+08:00 --json',
    'crowdledger trades list --from 2025-01-01T00:00:00Z --to 2025-02-01T00:00:00Z',
  );
}

function registerListings(program: Command): void {
  const listings = program.command('listings').description('read listings and campaigns');
  withExamples(listings, 'crowdledger listings open');

  const open = withConnectionOptions(
    listings.command('open').description('list the open listings and campaigns of every platform'),
  )
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (options: OutputOptions) => {
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
