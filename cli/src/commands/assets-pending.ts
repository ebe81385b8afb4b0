// `assets pending|accept-holding|decline-holding`: the holdings another
// platform granted this platform's users, which wait for it (R13).
import type { Asset, CrowdLedgerClient, Holding } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { type Cell, formatOf, type FormatOptions, printResult, printRows, sentenceAndFacts } from '../output';
import { step } from '../progress';
import { withExamples } from './shared/help';
import { withWriteOptions, writeConnection, type WriteOptions } from './shared/write-options';

export const PENDING_HEAD = ['asset', 'holder', 'units', 'asset platform'] as const;
export const PENDING_CSV_HEAD = ['asset', 'holder', 'units', 'asset_platform'] as const;

interface PendingOptions extends ConnectionOptions, FormatOptions {
  readonly platform?: string;
}

/** Adds the pending-holding commands to `assets`. */
export function addPendingHoldingCommands(assets: Command): void {
  addPendingCommand(assets);
  addAcceptCommand(assets);
  addDeclineCommand(assets);
}

/** Each pending holding with the platform that granted it (one asset read per asset). */
async function pendingRows(
  client: CrowdLedgerClient,
  platform: string | undefined,
): Promise<{ holdings: Holding[]; rows: Cell[][] }> {
  const holdings: Holding[] = [];
  for await (const holding of client.assets.allPendingHoldings(platform)) {
    holdings.push(holding);
  }
  const assetIds = [...new Set(holdings.map((h) => h.assetId))];
  const assets = new Map(
    await Promise.all(assetIds.map(async (id) => [id, await client.assets.get(id)] as const)),
  );
  const rows = holdings.map((h): Cell[] => [
    h.assetId,
    h.userId,
    h.units,
    assets.get(h.assetId)?.platform ?? '',
  ]);
  return { holdings, rows };
}

function addPendingCommand(assets: Command): void {
  const pending = withConnectionOptions(
    assets
      .command('pending')
      .description(
        "list the holdings other platforms granted a platform's users, waiting for it to accept or decline them",
      ),
  )
    .option('--platform <mspId>', "whose users' pending holdings (default: the --org's own platform)")
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print RFC 4180 CSV instead of a table')
    .action(async (options: PendingOptions) => {
      const format = formatOf(options);
      const { holdings, rows } = await withClient(options, (c) => pendingRows(c, options.platform));
      printRows(format, { head: format === 'csv' ? PENDING_CSV_HEAD : PENDING_HEAD, rows, json: holdings });
    });
  withExamples(
    pending,
    'crowdledger assets pending --org platform2',
    'crowdledger assets pending --platform Platform2MSP --json',
  );
}

function holdingFacts(holding: Holding): Cell[][] {
  return [
    ['asset', holding.assetId],
    ['holder', holding.userId],
    ['units', holding.units],
    ['certificate', holding.certificate],
  ];
}

function addAcceptCommand(assets: Command): void {
  const accept = withWriteOptions(
    assets
      .command('accept-holding')
      .description(
        "accept, as the holder's own platform, a holding another platform granted its user: it becomes tradable and due a certificate",
      )
      .argument('<assetId>', 'the asset ID, A + 32 hex digits')
      .argument('<userId>', "the holder's user ID, U + 32 hex digits"),
  ).action(async (assetId: string, userId: string, options: WriteOptions) => {
    const accepted = await withClient(writeConnection(options), (c) =>
      step(`accepting ${userId}'s holding of ${assetId} on ${c.mspId}`, () =>
        c.assets.acceptHolding(assetId, userId),
      ),
    );
    printResult(options, {
      value: accepted,
      human: () =>
        sentenceAndFacts(
          `Accepted ${String(accepted.units)} units of ${assetId} for ${userId}; a certificate is now due: crowdledger certificates issue-due --org ${options.org} --out <folder>`,
          holdingFacts(accepted),
        ),
    });
  });
  withExamples(
    accept,
    'crowdledger assets accept-holding A0123… U4567… --org platform2',
    'crowdledger assets accept-holding A0123… U4567… --org platform2 --json',
  );
}

function addDeclineCommand(assets: Command): void {
  const decline = withWriteOptions(
    assets
      .command('decline-holding')
      .description(
        "decline, as the holder's own platform, a holding another platform granted its user: the units leave the asset and its total shrinks by them",
      )
      .argument('<assetId>', 'the asset ID, A + 32 hex digits')
      .argument('<userId>', "the holder's user ID, U + 32 hex digits"),
  ).action(async (assetId: string, userId: string, options: WriteOptions) => {
    const after: Asset = await withClient(writeConnection(options), (c) =>
      step(`declining ${userId}'s holding of ${assetId} on ${c.mspId}`, () =>
        c.assets.declineHolding(assetId, userId),
      ),
    );
    printResult(options, {
      value: after,
      human: () =>
        `Declined ${userId}'s holding of ${assetId}; the asset now has ${String(after.totalUnits)} units in all.`,
    });
  });
  withExamples(decline, 'crowdledger assets decline-holding A0123… U4567… --org platform2');
}
