// The plain asset most suites register only to have units to move: no
// documents, no voting, no dividend, no further terms. Written once so a
// change to AssetInput is made in one place, not in every suite.
import type { AssetAttributes, AssetInput } from '../../client/src';

/** What the suites vary besides the reference and the holders. */
export interface FundAssetOptions {
  readonly name: string;
  readonly description: string;
  /** 'FUND' unless given. */
  readonly category?: AssetAttributes['category'];
}

/** An asset in CNY whose total is its holders' units, so it always registers whole. */
export function fundAsset(
  assetRef: string,
  holders: AssetInput['holders'],
  { name, description, category = 'FUND' }: FundAssetOptions,
): AssetInput {
  return {
    assetRef,
    attributes: { name, category, description, currency: 'CNY', documents: [] },
    rights: {
      voting: { enabled: false, votesPerUnit: 0 },
      dividend: { enabled: false, policy: '' },
      otherTerms: [],
    },
    totalUnits: holders.reduce((sum, h) => sum + h.units, 0),
    holders,
  };
}
