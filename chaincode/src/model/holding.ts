import { Object as DataType, Property } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import {
  canonicalBytes,
  CERTIFICATE_STATES,
  type CertificateState,
  type JsonValue,
} from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields, requireOneOf, requireWholeNumber } from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';
import { requireUnits } from '../values/units';
import { parseStored } from '../values/codec';

/*
 * PENDING: another platform's user, whose platform has not accepted the
 * holding (R13); DUE: no certificate yet; REVOKED: theirs was revoked and
 * none replaces it. The list is the protocol's.
 */
export type { CertificateState } from '@crowdledger/protocol';

interface HoldingFields {
  readonly assetId: string;
  readonly userId: string;
  readonly units: number;
  readonly escrowed: number;
  readonly certificate: CertificateState;
}

/** One holder's units of one asset: the unit of the cap table. */
@DataType()
export class Holding {
  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('userId', 'string')
  readonly userId: string;

  @Property('units', 'number')
  readonly units: number;

  /** Units locked by listings (R8), part of units; 0 until listings exist. */
  @Property('escrowed', 'number')
  readonly escrowed: number;

  /** PENDING | DUE | ISSUED | REVOKED */
  @Property('certificate', 'string')
  readonly certificate: CertificateState;

  constructor(fields: HoldingFields) {
    this.assetId = fields.assetId;
    this.userId = fields.userId;
    this.units = fields.units;
    this.escrowed = fields.escrowed;
    this.certificate = fields.certificate;
  }

  static parse(value: unknown): Holding {
    const fields = requireFields(value, 'holding', ['assetId', 'userId', 'units', 'escrowed', 'certificate']);
    const units = requireUnits(fields['units'], 'units');
    const escrowed = requireWholeNumber(fields['escrowed'], 'escrowed', 0, Number.MAX_SAFE_INTEGER);
    if (escrowed > units) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'escrowed units exceed the units held');
    }
    return new Holding({
      assetId: requireAssetId(fields['assetId']),
      userId: requireUserId(fields['userId']),
      units,
      escrowed,
      certificate: requireOneOf(fields['certificate'], 'certificate', CERTIFICATE_STATES),
    });
  }

  withCertificate(certificate: CertificateState): Holding {
    return new Holding({
      assetId: this.assetId,
      userId: this.userId,
      units: this.units,
      escrowed: this.escrowed,
      certificate,
    });
  }

  /** The same holding with other unit counts; the caller checks they are valid. */
  withUnits(units: number, escrowed: number): Holding {
    return new Holding({
      assetId: this.assetId,
      userId: this.userId,
      units,
      escrowed,
      certificate: this.certificate,
    });
  }

  /** True while the holder's platform has not accepted the holding (R13). */
  isPending(): boolean {
    return this.certificate === 'PENDING';
  }

  /** The record as plain JSON, for events that carry it inside another object. */
  toJson(): Record<string, JsonValue> {
    return {
      assetId: this.assetId,
      userId: this.userId,
      units: this.units,
      escrowed: this.escrowed,
      certificate: this.certificate,
    };
  }

  toBytes(): Uint8Array {
    return canonicalBytes(this.toJson());
  }
}

export const holdingCodec: Codec<Holding> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => Holding.parse(value)),
  toBytes: (value) => value.toBytes(),
};
