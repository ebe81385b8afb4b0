import type {
  CrowdLedgerClient,
  HistoryKind,
  Listing,
  Page,
  TimeRange,
  Trade,
  User,
} from '@crowdledger/client';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  allPages,
  type ConnectionOptions,
  type Format,
  formatOf,
  withClient,
  withConnectionOptions,
} from '../connection';
import { CliError } from '../errors';
import { type Cell, formatCsv, formatJson, formatTable } from '../output';
import { withExamples } from './help';
import { addShowCommand } from './show-record';

interface OutputOptions extends ConnectionOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
}

export function userFacts(user: User): Cell[][] {
  return [
    ['user', user.userId],
    ['platform', user.platform],
    ['status', user.status],
    ['registered', user.registeredAt],
    ['commitment', user.commitment],
  ];
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

const HISTORY_KINDS: readonly HistoryKind[] = [
  'user',
  'asset',
  'holding',
  'certificate',
  'listing',
  'offer',
  'trade',
];

export function parseHistoryKind(value: string): HistoryKind {
  const kind = HISTORY_KINDS.find((k) => k === value);
  if (kind === undefined) {
    throw new InvalidArgumentError(`expected one of ${HISTORY_KINDS.join(', ')}`);
  }
  return kind;
}

/** `crowdledger users|trades|listings|audit …`: read-only compliance queries. */
export function registerRecordCommands(program: Command): void {
  registerUsers(program);
  registerTrades(program);
  registerListings(program);
  registerAudit(program);
}

function registerUsers(program: Command): void {
  const users = program.command('users').description("read users' public records and portfolios");
  withExamples(users, 'crowdledger users show U0123…', 'crowdledger users portfolio U0123…');

  addShowCommand(
    users,
    {
      idArgument: ['<userId>', 'the user ID, U + 32 hex digits'],
      read: (c, id) => c.users.get(id),
      facts: userFacts,
    },
    {
      description: "show a user's public record (USER_NOT_FOUND when there is none)",
      examples: ['crowdledger users show U0123…', 'crowdledger users show U0123… --json'],
    },
  );

  const portfolio = withConnectionOptions(
    users
      .command('portfolio')
      .description('show every holding of a user')
      .argument('<userId>', 'the user ID, U + 32 hex digits'),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (userId: string, options: OutputOptions) => {
      const p = await withClient(options, (c) => c.users.portfolio(userId));
      if (options.json === true) {
        console.log(formatJson(p));
        return;
      }
      const rows = p.holdings.map((h) => [h.assetId, h.units, h.escrowed, h.certificate]);
      console.log(formatTable(['asset', 'units', 'in escrow', 'certificate'], rows));
    });
  withExamples(portfolio, 'crowdledger users portfolio U0123…', 'crowdledger users portfolio U0123… --json');
}

interface TradeListOptions extends OutputOptions {
  readonly asset?: string;
  readonly user?: string;
  readonly platform?: string;
  readonly from?: string;
  readonly to?: string;
}

type TradePageReader = (client: CrowdLedgerClient, bookmark: string) => Promise<Page<Trade>>;

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
    return (c, bookmark) => c.trades.byAsset(asset, { bookmark });
  }
  if (user !== undefined) {
    return (c, bookmark) => c.trades.byUser(user, { bookmark });
  }
  if (platform !== undefined) {
    return (c, bookmark) => c.trades.byPlatform(platform, range, { bookmark });
  }
  if (options.from === undefined && options.to === undefined) {
    throw new CliError(
      'give --asset <assetId>, --user <userId>, --platform <mspId> or --from/--to <instant>',
    );
  }
  return (c, bookmark) => c.trades.byTime(range, { bookmark });
}

function printTrades(found: readonly Trade[], format: Format): void {
  if (format === 'json') {
    console.log(formatJson(found));
  } else if (format === 'csv') {
    process.stdout.write(formatCsv(TRADE_HEAD, tradeCells(found)));
  } else {
    console.log(formatTable(TRADE_HEAD, tradeCells(found)));
  }
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
      const found = await withClient(options, (c) => allPages((bookmark) => read(c, bookmark)));
      printTrades(found, format);
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
    .action(async (options: OutputOptions) => {
      const found = await withClient(options, async (c) => {
        const all: Listing[] = [];
        for await (const l of c.listings.allOpen()) {
          all.push(l);
        }
        return all;
      });
      console.log(options.json === true ? formatJson(found) : formatTable(LISTING_HEAD, listingCells(found)));
    });
  withExamples(open, 'crowdledger listings open', 'crowdledger listings open --json | jq length');
}

function registerAudit(program: Command): void {
  const audit = program.command('audit').description('compliance reads of the ledger');
  withExamples(audit, 'crowdledger audit history asset A0123…');

  const history = withConnectionOptions(
    audit
      .command('history')
      .description('every committed version of one record, newest first')
      .argument('<kind>', `record kind: ${HISTORY_KINDS.join(', ')}`, parseHistoryKind)
      .argument(
        '<id>',
        'a user, asset, listing, offer or trade ID, or assetId/userId for holding and certificate',
      ),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (kind: HistoryKind, id: string, options: OutputOptions) => {
      const entries = await withClient(options, (c) => c.audit.history(kind, id));
      if (options.json === true) {
        console.log(formatJson(entries));
        return;
      }
      const rows = entries.map((e) => [e.timestamp, e.txId, e.isDelete ? 'delete' : 'write']);
      console.log(formatTable(['timestamp', 'transaction', 'change'], rows));
    });
  withExamples(
    history,
    'crowdledger audit history asset A0123…',
    'crowdledger audit history holding A0123…/U0456… --json',
    'crowdledger audit history listing L0123…',
  );
}
