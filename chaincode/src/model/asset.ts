import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields, requireInstant, requireOneOf } from '../values/guards';
import { requireAssetId, requireMspId } from '../values/ids';
import { requireUnits } from '../values/units';
import { AssetAttributes, AssetRights } from './asset-terms';
import { parseStored } from '../values/codec';

export const ASSET_STATUSES = ['ACTIVE'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

interface AssetFields {
  readonly assetId: string;
  readonly platform: string;
  readonly attributes: AssetAttributes;
  readonly rights: AssetRights;
  readonly totalUnits: number;
  readonly registeredAt: string;
  readonly status: AssetStatus;
}

/**
 * An asset (R2). Holdings are separate records, so a trade touches the two
 * holdings it moves and never this one.
 */
@DataType()
export class Asset {
  @Property('assetId', 'string')
  readonly assetId: string;

  /** MSP ID of the registering platform. */
  @Property('platform', 'string')
  readonly platform: string;

  @Property('attributes', 'AssetAttributes')
  readonly attributes: AssetAttributes;

  @Property('rights', 'AssetRights')
  readonly rights: AssetRights;

  @Property('totalUnits', 'number')
  readonly totalUnits: number;

  /** ISO-8601 transaction time of the registration. */
  @Property('registeredAt', 'string')
  readonly registeredAt: string;

  @Property('status', 'string')
  readonly status: AssetStatus;

  constructor(fields: AssetFields) {
    this.assetId = fields.assetId;
    this.platform = fields.platform;
    this.attributes = fields.attributes;
    this.rights = fields.rights;
    this.totalUnits = fields.totalUnits;
    this.registeredAt = fields.registeredAt;
    this.status = fields.status;
  }

  static parse(value: unknown): Asset {
    const fields = requireFields(value, 'asset', [
      'assetId',
      'platform',
      'attributes',
      'rights',
      'totalUnits',
      'registeredAt',
      'status',
    ]);
    return new Asset({
      assetId: requireAssetId(fields['assetId']),
      platform: requireMspId(fields['platform'], 'platform'),
      attributes: AssetAttributes.parse(fields['attributes'], 'attributes'),
      rights: AssetRights.parse(fields['rights'], 'rights'),
      totalUnits: requireUnits(fields['totalUnits'], 'totalUnits'),
      registeredAt: requireInstant(fields['registeredAt'], 'registeredAt'),
      status: requireOneOf(fields['status'], 'status', ASSET_STATUSES),
    });
  }

  /** The same asset with another total; the caller keeps holdings summing to it (R2). */
  withTotalUnits(totalUnits: number): Asset {
    return new Asset({
      assetId: this.assetId,
      platform: this.platform,
      attributes: this.attributes,
      rights: this.rights,
      totalUnits,
      registeredAt: this.registeredAt,
      status: this.status,
    });
  }

  toBytes(): Uint8Array {
    return canonicalBytes({
      assetId: this.assetId,
      platform: this.platform,
      attributes: this.attributes.toJson(),
      rights: this.rights.toJson(),
      totalUnits: this.totalUnits,
      registeredAt: this.registeredAt,
      status: this.status,
    });
  }
}

export const assetCodec: Codec<Asset> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => Asset.parse(value)),
  toBytes: (value) => value.toBytes(),
};
