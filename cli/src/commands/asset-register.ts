import type { Asset, AssetInput } from '@crowdledger/client';
import type { Command } from 'commander';
import { withClient } from '../connection';
import { readJsonInput } from '../input/json-input';
import { parseAssetInput } from '../input/registration';
import { formatTable, printResult, sharePercent } from '../output';
import { step } from '../progress';
import { assetFacts } from './assets';
import { withExamples } from './shared/help';
import {
  groupOf,
  withQuiet,
  withWriteOptions,
  writeConnection,
  type WriteOptions,
} from './shared/write-options';

interface RegisterOptions extends WriteOptions {
  readonly from?: string;
}

/** `crowdledger assets register`: beside the read commands of assets.ts. */
export function registerAssetWrites(program: Command): void {
  const assets = groupOf(program, 'assets', 'register assets; read them and their cap tables');
  const register = withQuiet(
    withWriteOptions(
      assets
        .command('register')
        .description(
          'register an asset (R2) from a JSON file or stdin: attributes, rights, total units and every ' +
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
      const registered = await withClient(writeConnection(options), (c) =>
        step(`registering ${asset.assetRef} on ${c.mspId}`, () => c.assets.register(asset)),
      );
      printResult(options, {
        value: registered,
        id: registered.assetId,
        human: () => registeredText(registered, asset, options.org),
      });
    });
  withExamples(
    register,
    'crowdledger assets register --org platform1 --from asset.json',
    'ASSET=$(crowdledger assets register --org platform1 --from asset.json -q)',
  );
}

function registeredText(asset: Asset, input: AssetInput, org: string): string {
  const holders = input.holders.map((h) => [
    h.userId,
    h.units,
    sharePercent(h.units, asset.totalUnits),
    'DUE',
  ]);
  return [
    `Registered ${input.assetRef} as asset ${asset.assetId}, ${String(asset.totalUnits)} units.`,
    '',
    formatTable(['field', 'value'], assetFacts(asset)),
    '',
    formatTable(['holder', 'units', 'share %', 'certificate'], holders),
    '',
    `Each holder is due an asset certificate: crowdledger certificates issue-due --org ${org} --out <folder>`,
    "(each holder's own platform issues theirs).",
  ].join('\n');
}
