import {
  allPages,
  type CrowdLedgerClient,
  type Page,
  type PageRequest,
  type TimeRange,
  type Trade,
} from '@crowdledger/client';
import { type Command, Option } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { CliError } from '../errors';
import { parseUnits } from '../input/terms';
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
} from '../output';
import { step } from '../progress';
import { withExamples } from './shared/help';
import { boughtText } from './shared/sales';
import {
  type SignerOption,
  consentOf,
  withSigner,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './shared/write-options';

interface BuyOptions extends WriteOptions, SignerOption {
  readonly buyer: string;
  readonly units: number;
}

/** `crowdledger trades list|buy|check`. */
export function registerTradesCommands(program: Command): void {
  const trades = program
    .command('trades')
    .description('buy from a listing or check a purchase first; list trades');
  withExamples(trades, 'crowdledger trades list --asset A0123…');
  addListCommand(trades);
  addBuyCommand(trades);
  addCheckCommand(trades);
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

interface TradeListOptions extends ConnectionOptions, FormatOptions {
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

/** Every trade the read finds, page after page. */
async function everyTrade(client: CrowdLedgerClient, read: TradePageReader): Promise<Trade[]> {
  const all: Trade[] = [];
  for await (const trade of allPages((page) => read(client, page))) {
    all.push(trade);
  }
  return all;
}

function addListCommand(trades: Command): void {
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
      const found = await withClient(options, (c) => everyTrade(c, read));
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

function withBuyOptions(command: Command): Command {
  return command
    .argument('<listingId>', 'the listing, L + hex digits')
    .requiredOption('--buyer <userId>', "the buying user, one of the platform's")
    .requiredOption('--units <n>', 'units to buy', parseUnits);
}

function addBuyCommand(trades: Command): void {
  const buy = withSigner(
    withWriteOptions(
      withBuyOptions(
        trades
          .command('buy')
          .description(
            "buy units from an open listing of any platform for one of the platform's users; they sign",
          ),
      ),
    ),
    "buyer's",
  ).action(async (listingId: string, options: BuyOptions) => {
    const consent = await consentOf(options);
    const result = await withClient(writeConnection(options), (c) =>
      step(`buying ${String(options.units)} units from ${listingId} (signed)`, () =>
        c.trades.buy(listingId, options.buyer, options.units, consent),
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
    'crowdledger trades buy L0123… --org platform2 --buyer U0456… --units 30 --signer wang.key',
    'crowdledger trades buy L0123… --org platform2 --buyer U0456… --units 30 --signer wang.key --json',
  );
}

function addCheckCommand(trades: Command): void {
  const check = withWriteOptions(
    withBuyOptions(
      trades
        .command('check')
        .description(
          'say whether `trades buy` would succeed now: every check but the signature, no key file needed (exit 1 when it would fail)',
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
