import { Object as DataType } from 'fabric-contract-api';
import { requireInstant, requireOneOf } from '../values/guards';
import { requireAssetId, requireMspId } from '../values/ids';
import { requireUnits } from '../values/units';
import { AssetAttributes, AssetRights } from './asset-terms';
import { ASSET_STATUSES, type AssetStatus } from '@crowdledger/protocol';
import { count, type FieldsOf, nested, parseFields, record, recordCodec, text } from './record';

export { ASSET_STATUSES, type AssetStatus } from '@crowdledger/protocol';

const ASSET = {
  assetId: text(requireAssetId),
  /** MSP ID of the registering platform. */
  platform: text(requireMspId),
  attributes: nested('AssetAttributes', (value, name) => AssetAttributes.parse(value, name)),
  rights: nested('AssetRights', (value, name) => AssetRights.parse(value, name)),
  totalUnits: count(requireUnits),
  /** ISO-8601 transaction time of the registration. */
  registeredAt: text(requireInstant),
  status: text((value, name) => requireOneOf(value, name, ASSET_STATUSES)),
};

export type AssetFields = FieldsOf<typeof ASSET>;

/**
 * An asset (R2). Holdings are separate records, so a trade touches the two
 * holdings it moves and never this one.
 */
@DataType()
export class Asset extends record(ASSET) {
  static parse(value: unknown): Asset {
    return new Asset(parseFields(ASSET, value, 'asset'));
  }

  /** The same asset in another status: an import finished makes it ACTIVE. */
  withStatus(status: AssetStatus): Asset {
    return new Asset({ ...this.fields(), status });
  }

  /** The same asset with another total; the caller keeps holdings summing to it (R2). */
  withTotalUnits(totalUnits: number): Asset {
    return new Asset({ ...this.fields(), totalUnits });
  }
}

export const assetCodec = recordCodec((value) => Asset.parse(value));
