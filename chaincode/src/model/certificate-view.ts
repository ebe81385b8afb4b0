import { Object as DataType, Property } from 'fabric-contract-api';
import type { AssetAttributes, AssetRights } from './asset-terms';

interface AssetViewFields {
  readonly assetId: string;
  readonly attributes: AssetAttributes;
  readonly rights: AssetRights;
  readonly totalUnits: number;
}

interface HoldingViewFields {
  readonly units: number;
  readonly escrowed: number;
  readonly free: number;
  readonly shareOfTotal: string;
  readonly certificateSerial: string;
}

/** What QueryByCertificate shows a holder of their asset (R4). */
@DataType()
export class CertificateAssetView {
  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('attributes', 'AssetAttributes')
  readonly attributes: AssetAttributes;

  @Property('rights', 'AssetRights')
  readonly rights: AssetRights;

  @Property('totalUnits', 'number')
  readonly totalUnits: number;

  constructor(fields: AssetViewFields) {
    this.assetId = fields.assetId;
    this.attributes = fields.attributes;
    this.rights = fields.rights;
    this.totalUnits = fields.totalUnits;
  }
}

/** What QueryByCertificate shows a holder of their own holding (R4). */
@DataType()
export class CertificateHoldingView {
  @Property('units', 'number')
  readonly units: number;

  @Property('escrowed', 'number')
  readonly escrowed: number;

  /** units - escrowed: what the holder can sell or list now. */
  @Property('free', 'number')
  readonly free: number;

  /** units / totalUnits, six decimal places, rounded half up (e.g. "0.333333"). */
  @Property('shareOfTotal', 'string')
  readonly shareOfTotal: string;

  @Property('certificateSerial', 'string')
  readonly certificateSerial: string;

  constructor(fields: HoldingViewFields) {
    this.units = fields.units;
    this.escrowed = fields.escrowed;
    this.free = fields.free;
    this.shareOfTotal = fields.shareOfTotal;
    this.certificateSerial = fields.certificateSerial;
  }
}

@DataType()
export class CertificateView {
  @Property('asset', 'CertificateAssetView')
  readonly asset: CertificateAssetView;

  @Property('holding', 'CertificateHoldingView')
  readonly holding: CertificateHoldingView;

  constructor(asset: CertificateAssetView, holding: CertificateHoldingView) {
    this.asset = asset;
    this.holding = holding;
  }
}
