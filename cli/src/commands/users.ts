import type { CrowdLedgerClient, Portfolio, User } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { readJsonInput } from '../input/json-input';
import { parseUserRegistration } from '../input/registration';
import {
  type Cell,
  type FormatOptions,
  formatOf,
  printResult,
  printRows,
  sentenceAndFacts,
  sharePercent,
} from '../output';
import { step } from '../progress';
import { withExamples } from './shared/help';
import { addShowCommand } from './shared/show-record';
import { withQuiet, withWriteOptions, writeConnection, type WriteOptions } from './shared/write-options';

interface RegisterOptions extends WriteOptions {
  readonly from?: string;
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

/** `crowdledger users show|portfolio|register`. */
export function registerUsersCommands(program: Command): void {
  const users = program
    .command('users')
    .description('register users; read their public records and portfolios');
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
  addPortfolioCommand(users);
  addRegisterCommand(users);
}

function addPortfolioCommand(users: Command): void {
  const portfolio = withConnectionOptions(
    users
      .command('portfolio')
      .description('show every holding of a user')
      .argument('<userId>', 'the user ID, U + 32 hex digits'),
  )
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (userId: string, options: ConnectionOptions & FormatOptions) => {
      const format = formatOf(options);
      const { portfolio: p, rows } = await withClient(options, (c) => portfolioRows(c, userId));
      printRows(format, { head: format === 'csv' ? PORTFOLIO_CSV_HEAD : PORTFOLIO_HEAD, rows, json: p });
    });
  withExamples(
    portfolio,
    'crowdledger users portfolio U0123…',
    'crowdledger users portfolio U0123… --json',
    'crowdledger users portfolio U0123… --csv > portfolio.csv',
  );
}

export const PORTFOLIO_HEAD = ['asset', 'name', 'units', 'share %', 'in escrow', 'certificate'] as const;
export const PORTFOLIO_CSV_HEAD = [
  'asset',
  'name',
  'units',
  'share_percent',
  'escrowed',
  'certificate',
] as const;

/** The portfolio, and per holding the asset's name and the holder's share of its total units. */
async function portfolioRows(
  client: CrowdLedgerClient,
  userId: string,
): Promise<{ portfolio: Portfolio; rows: Cell[][] }> {
  const portfolio = await client.users.portfolio(userId);
  // One read per asset, all at once: a long portfolio should not cost a round trip per line.
  const rows = await Promise.all(
    portfolio.holdings.map(async (h): Promise<Cell[]> => {
      const asset = await client.assets.get(h.assetId);
      const share = sharePercent(h.units, asset.totalUnits);
      return [h.assetId, asset.attributes.name, h.units, share, h.escrowed, h.certificate];
    }),
  );
  return { portfolio, rows };
}

function addRegisterCommand(users: Command): void {
  const register = withQuiet(
    withWriteOptions(
      users
        .command('register')
        .description(
          "register a platform's user; name and ID number come from a JSON file or stdin, reach only " +
            "the platform's private collection, and the ledger assigns the user ID",
        ),
    ),
    'user ID',
  )
    .option('--from <file>', 'JSON {"platformRef", "name", "idType", "idNumber"}; - or a pipe reads stdin')
    .action(async (options: RegisterOptions) => {
      const input = await readJsonInput(options.from, 'user', process.stdin);
      const user = parseUserRegistration(input.value, input.source);
      const registered = await withClient(writeConnection(options), (c) =>
        step(`registering ${user.platformRef} on ${c.mspId}`, () => c.users.register(user)),
      );
      printResult(options, {
        value: registered,
        id: registered.userId,
        human: () =>
          sentenceAndFacts(
            `Registered ${user.platformRef} as user ${registered.userId}; the ledger keeps only a salted commitment to the personal data.`,
            userFacts(registered),
          ),
      });
    });
  withExamples(
    register,
    'crowdledger users register --org platform1 --from zhang-wei.json',
    'ZHANG=$(crowdledger users register --org platform1 --from zhang-wei.json -q)',
    `echo '{"platformRef":"li-na","name":"李娜","idType":"RESIDENT_ID","idNumber":"440524188001010014"}' | crowdledger users register --org platform1`,
  );
}
