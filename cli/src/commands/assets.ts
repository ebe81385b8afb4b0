import { allPages, type Asset, type AssetInput, type BlockProgress, type Holding } from '@crowdledger/client';
import { type Command, InvalidArgumentError } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { readJsonInput } from '../input/json-input';
import { parseAssetInput } from '../input/registration';
import {
  type Cell,
  type Format,
  formatOf,
  type FormatOptions,
  formatTable,
  printResult,
  printRows,
  readable,
  type Rows,
  sharePercent,
} from '../output';
import { liveLine, step } from '../progress';
import { addImportCommand } from './assets-import';
import { addPendingHoldingCommands } from './assets-pending';
import {
  CAP_TABLE_AT_CSV_HEAD,
  CAP_TABLE_AT_HEAD,
  capTableAtCells,
  type CapTableAtRow,
  capTableAtRows,
} from './cap-table-rows';
import { streamCapTable } from './cap-table-stream';
import { withExamples } from './shared/help';
import { addShowCommand } from './shared/show-record';
import { withQuiet, withWriteOptions, writeConnection, type WriteOptions } from './shared/write-options';

export * from './cap-table-rows';
export { type OutputSink, streamCapTable } from './cap-table-stream';

/** A block number: digits only, so "12abc" or "1e3" is refused rather than half-read. */
export function parseBlockNumber(value: string): bigint {
  if (!/^(0|[1-9]\d{0,18})$/.test(value)) {
    throw new InvalidArgumentError('expected a block number: a whole number from 0, in digits');
  }
  return BigInt(value);
}

/** The key facts of an asset, one per line. */
export function assetFacts(asset: Asset): Cell[][] {
  return [
    ['asset', asset.assetId],
    ['name', asset.attributes.name],
    ['category', asset.attributes.category],
    ['currency', asset.attributes.currency],
    ['platform', asset.platform],
    ['total units', asset.totalUnits],
    ['status', asset.status],
    ['registered', asset.registeredAt],
    [
      'voting',
      asset.rights.voting.enabled ? `yes, ${String(asset.rights.voting.votesPerUnit)} per unit` : 'no',
    ],
    ['dividend', asset.rights.dividend.enabled ? `yes, ${asset.rights.dividend.policy}` : 'no'],
    ['documents', asset.attributes.documents.map((d) => d.name).join(', ')],
  ];
}

type OutputOptions = ConnectionOptions & FormatOptions;

interface HoldersOptions extends ConnectionOptions, FormatOptions {
  readonly atBlock?: bigint;
}

interface RegisterOptions extends WriteOptions {
  readonly from?: string;
}

interface ListOptions extends ConnectionOptions, FormatOptions {
  readonly platform: string;
}

/** `crowdledger assets list|show|holders|register|pending|accept-holding|decline-holding`. */
export function registerAssetsCommands(program: Command): void {
  const assets = program
    .command('assets')
    .description(
      "register assets or import a register; list a platform's assets; read one and its cap table",
    );
  withExamples(
    assets,
    'crowdledger assets list --platform Platform1MSP',
    'crowdledger assets show A0123…',
    'crowdledger assets holders A0123… --csv',
  );
  addListCommand(assets);

  addShowCommand(
    assets,
    {
      idArgument: ['<assetId>', 'the asset ID, A + 32 hex digits'],
      read: (c, id) => c.assets.get(id),
      facts: assetFacts,
    },
    {
      description: 'show one asset (ASSET_NOT_FOUND when there is none)',
      examples: ['crowdledger assets show A0123…', 'crowdledger assets show A0123… --org platform1 --json'],
    },
  );
  addHoldersCommand(assets);
  addRegisterCommand(assets);
  addImportCommand(assets);
  addPendingHoldingCommands(assets);
}

export const ASSET_LIST_HEAD = [
  'asset',
  'name',
  'category',
  'currency',
  'total_units',
  'status',
  'registered_at',
] as const;

/** One row per asset; the table's head is the CSV's, as a person reads it. */
export function assetListRows(assets: readonly Asset[], format: Format): Rows {
  const rows = assets.map((a) => [
    ...[a.assetId, a.attributes.name, a.attributes.category, a.attributes.currency],
    ...[a.totalUnits, a.status, a.registeredAt],
  ]);
  return { head: format === 'table' ? ASSET_LIST_HEAD.map(readable) : ASSET_LIST_HEAD, rows, json: assets };
}

function addListCommand(assets: Command): void {
  const list = withConnectionOptions(
    assets
      .command('list')
      .description('list every asset a platform registered, in asset ID order (all pages)'),
  )
    .requiredOption('--platform <mspId>', 'the registering platform, e.g. Platform1MSP')
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (options: ListOptions) => {
      const format = formatOf(options);
      const found = await withClient(options, async (c) => {
        const all: Asset[] = [];
        for await (const asset of allPages((page) => c.assets.listByPlatform(options.platform, page))) {
          all.push(asset);
        }
        return all;
      });
      printRows(format, assetListRows(found, format));
    });
  withExamples(
    list,
    'crowdledger assets list --platform Platform1MSP',
    'crowdledger assets list --platform Platform2MSP --json | jq length',
    'crowdledger assets list --platform Platform1MSP --csv > assets.csv',
  );
}

function addHoldersCommand(assets: Command): void {
  const holders = withConnectionOptions(
    assets
      .command('holders')
      .description(
        "show the cap table: holders, units, share of total, escrow, certificate status (PENDING: not yet accepted by the holder's platform), serial and record status; " +
          'written page by page (1,000 holders) in every format, so a large register streams',
      )
      .argument('<assetId>', 'the asset ID, A + 32 hex digits'),
  )
    .option(
      '--at-block <n>',
      "the cap table as block n left it, rebuilt from blocks 0…n (reads the chain: slower), with each holder's certificate record",
      parseBlockNumber,
    )
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (assetId: string, options: HoldersOptions) => {
      const format = formatOf(options);
      if (options.atBlock === undefined) {
        await printCurrentCapTable(assetId, options, format);
      } else {
        await printCapTableAt(assetId, options.atBlock, options, format);
      }
    });
  withExamples(
    holders,
    'crowdledger assets holders A0123…',
    'crowdledger assets holders A0123… --json | jq .holders',
    'crowdledger assets holders A0123… --csv > cap-table.csv',
    'crowdledger assets holders A0123… --at-block 120 --json',
  );
}

async function printCurrentCapTable(assetId: string, options: OutputOptions, format: Format): Promise<void> {
  await withClient(options, (c) => streamCapTable(c, assetId, format, process.stdout));
}

async function printCapTableAt(
  assetId: string,
  block: bigint,
  options: OutputOptions,
  format: Format,
): Promise<void> {
  // Only a terminal sees "block i of n": piped output and scripts get the result alone.
  const progress = liveLine();
  const onProgress = (p: BlockProgress): void => {
    progress.show(`reading block ${p.blockNumber.toString()} of ${p.lastBlock.toString()}…`);
  };
  const table = await withClient(options, (c) => c.assets.capTableAt(assetId, block, { onProgress })).finally(
    progress.done,
  );
  printCapTableRows(table.asset, capTableAtRows(table), format, { atBlock: Number(table.blockNumber) });
}

function printCapTableRows(
  asset: Asset,
  rows: readonly CapTableAtRow[],
  format: Format,
  extra: { readonly atBlock?: number },
): void {
  printRows(format, {
    head: format === 'csv' ? CAP_TABLE_AT_CSV_HEAD : CAP_TABLE_AT_HEAD,
    rows: capTableAtCells(rows),
    json: { assetId: asset.assetId, totalUnits: asset.totalUnits, ...extra, holders: rows },
  });
}

function addRegisterCommand(assets: Command): void {
  const register = withQuiet(
    withWriteOptions(
      assets
        .command('register')
        .description(
          'register an asset from a JSON file or stdin: attributes, rights, total units and every ' +
            'initial holder; the ledger assigns the asset ID and makes each holder due a certificate',
        ),
    ),
    'asset ID',
  )
    .option(
      '--from <file>',
      'JSON {"assetRef", "attributes", "rights", "totalUnits", "holders": [{"userId", "units"}]}; - or a pipe reads stdin',
    )
    .action(async (options: RegisterOptions) => {
      const input = await readJsonInput(options.from, 'asset', process.stdin);
      const asset = parseAssetInput(input.value, input.source);
      const { registered, holdings } = await withClient(writeConnection(options), async (c) => {
        const done = await step(`registering ${asset.assetRef} on ${c.mspId}`, () =>
          c.assets.register(asset),
        );
        return {
          registered: done,
          holdings: options.json === true ? [] : await allOf(c.assets.allHolders(done.assetId)),
        };
      });
      printResult(options, {
        value: registered,
        id: registered.assetId,
        human: () => registeredText(registered, { input: asset, holdings }, options.org),
      });
    });
  withExamples(
    register,
    'crowdledger assets register --org platform1 --from asset.json',
    'ASSET=$(crowdledger assets register --org platform1 --from asset.json -q)',
  );
}

async function allOf<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
}

function registeredText(
  asset: Asset,
  registered: { readonly input: AssetInput; readonly holdings: readonly Holding[] },
  org: string,
): string {
  const { input, holdings } = registered;
  const holders = holdings.map((h) => [
    h.userId,
    h.units,
    sharePercent(h.units, asset.totalUnits),
    h.certificate,
  ]);
  const pending = holdings.some((h) => h.certificate === 'PENDING');
  return [
    `Registered ${input.assetRef} as asset ${asset.assetId}, ${String(asset.totalUnits)} units.`,
    '',
    formatTable(['field', 'value'], assetFacts(asset)),
    '',
    formatTable(['holder', 'units', 'share %', 'certificate'], holders),
    '',
    `Each DUE holder is due an asset certificate: crowdledger certificates issue-due --org ${org} --out <folder>`,
    "(each holder's own platform issues theirs).",
    ...(pending
      ? [
          "PENDING holders are other platforms' users: their platform accepts the holding first",
          `(crowdledger assets accept-holding ${asset.assetId} <userId> --org <their platform>).`,
        ]
      : []),
  ].join('\n');
}
