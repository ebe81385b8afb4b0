import { CERTIFICATE_STATES, type CertificateState } from '@crowdledger/protocol';
import { Object as DataType } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { requireOneOf, requireWholeNumber } from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';
import { requireUnits } from '../values/units';
import { count, type FieldsOf, parseFields, record, recordCodec, text } from './record';

/*
 * PENDING: another platform's user, whose platform has not accepted the
 * holding (R13); DUE: the holder has no certificate yet; REVOKED: theirs was
 * revoked and none replaces it. The list is the protocol's.
 */

const HOLDING = {
  assetId: text(requireAssetId),
  userId: text(requireUserId),
  units: count(requireUnits),
  /** Units locked by listings (R8), part of units; 0 until listings exist. */
  escrowed: count((value, name) => requireWholeNumber(value, name, 0, Number.MAX_SAFE_INTEGER)),
  /** PENDING | DUE | ISSUED | REVOKED */
  certificate: text((value, name) => requireOneOf(value, name, CERTIFICATE_STATES)),
};

export type HoldingFields = FieldsOf<typeof HOLDING>;

/** One holder's units of one asset: the unit of the cap table. */
@DataType()
export class Holding extends record(HOLDING) {
  static parse(value: unknown): Holding {
    const fields = parseFields(HOLDING, value, 'holding');
    if (fields.escrowed > fields.units) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'escrowed units exceed the units held');
    }
    return new Holding(fields);
  }

  withCertificate(certificate: CertificateState): Holding {
    return new Holding({ ...this.fields(), certificate });
  }

  /** The same holding with other unit counts; the caller checks they are valid. */
  withUnits(units: number, escrowed: number): Holding {
    return new Holding({ ...this.fields(), units, escrowed });
  }

  /** True while the holder's platform has not accepted the holding (R13). */
  isPending(): boolean {
    return this.certificate === 'PENDING';
  }
}

export const holdingCodec = recordCodec((value) => Holding.parse(value));
