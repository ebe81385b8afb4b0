import type { Asset, Holding } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, formatOf, withClient, withConnectionOptions } from '../connection';
import { type Cell, formatCsv, formatJson, formatTable, sharePercent } from '../output';
import { withExamples } from './help';

/** One line of a cap table. */
export interface CapTableRow {
  readonly holder: string;
  readonly units: number;
  /** Percent of the asset's total units, two decimals. */
  readonly sharePercent: string;
  readonly escrowed: number;
  readonly certificate: string;
}

export const CAP_TABLE_HEAD = ['holder', 'units', 'share %', 'in escrow', 'certificate'] as const;
export const CAP_TABLE_CSV_HEAD = ['holder', 'units', 'share_percent', 'escrowed', 'certificate'] as const;

export function capTable(totalUnits: number, holdings: readonly Holding[]): CapTableRow[] {
  return holdings.map((h) => ({
    holder: h.userId,
    units: h.units,
    sharePercent: sharePercent(h.units, totalUnits),
    escrowed: h.escrowed,
    certificate: h.certificate,
  }));
}

export function capTableCells(rows: readonly CapTableRow[]): Cell[][] {
  return rows.map((r) => [r.holder, r.units, r.sharePercent, r.escrowed, r.certificate]);
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

interface OutputOptions extends ConnectionOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
}

/** `crowdledger assets …`: an asset and its cap table, read-only. */
export function registerAssetsCommands(program: Command): void {
  const assets = program.command('assets').description('read assets and their cap tables');
  withExamples(assets, 'crowdledger assets show A0123…', 'crowdledger assets holders A0123… --csv');

  const show = withConnectionOptions(
    assets
      .command('show')
      .description('show one asset (ASSET_NOT_FOUND when there is none)')
      .argument('<assetId>', 'the asset ID, A + 32 hex digits'),
  )
    .option('--json', 'print JSON instead of a table')
    .action(async (assetId: string, options: OutputOptions) => {
      const asset = await withClient(options, (c) => c.assets.get(assetId));
      console.log(
        options.json === true ? formatJson(asset) : formatTable(['field', 'value'], assetFacts(asset)),
      );
    });
  withExamples(
    show,
    'crowdledger assets show A0123…',
    'crowdledger assets show A0123… --org platform1 --json',
  );
  addHoldersCommand(assets);
}

function addHoldersCommand(assets: Command): void {
  const holders = withConnectionOptions(
    assets
      .command('holders')
      .description('show the cap table: holders, units, share of total, escrow and certificate status')
      .argument('<assetId>', 'the asset ID, A + 32 hex digits'),
  )
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (assetId: string, options: OutputOptions) => {
      const format = formatOf(options);
      const { asset, holdings } = await withClient(options, async (c) => {
        const a = await c.assets.get(assetId);
        const all: Holding[] = [];
        for await (const h of c.assets.allHolders(assetId)) {
          all.push(h);
        }
        return { asset: a, holdings: all };
      });
      const rows = capTable(asset.totalUnits, holdings);
      if (format === 'json') {
        console.log(formatJson({ assetId: asset.assetId, totalUnits: asset.totalUnits, holders: rows }));
      } else if (format === 'csv') {
        process.stdout.write(formatCsv(CAP_TABLE_CSV_HEAD, capTableCells(rows)));
      } else {
        console.log(formatTable(CAP_TABLE_HEAD, capTableCells(rows)));
      }
    });
  withExamples(
    holders,
    'crowdledger assets holders A0123…',
    'crowdledger assets holders A0123… --json | jq .holders',
    'crowdledger assets holders A0123… --csv > cap-table.csv',
  );
}
