import { HOLDER_ENROLLMENT_ID } from '@crowdledger/protocol';
import { Object as DataType } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import {
  requireInstant,
  requireLine,
  requireOneOf,
  requireProse,
  requireSha256Hex,
  requireText,
} from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';
import { type FieldsOf, optional, parseFields, record, recordCodec, text } from './record';

export const CERTIFICATE_STATUSES = ['ACTIVE', 'REVOKED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const MAX_REVOCATION_REASON = 500;
const SERIAL = /^[0-9A-F]+$/;

const CERTIFICATE_RECORD = {
  assetId: text(requireAssetId),
  holderId: text(requireUserId),
  /**
   * The certificate's enrollment ID on the asset CA (its CN): `holder-` and 40
   * hex digits nobody else could register first (R3).
   */
  enrollmentId: text((value, name) =>
    requireText(value, name, {
      expected: 'holder- and 40 lower-case hex digits',
      pattern: HOLDER_ENROLLMENT_ID,
      maxLength: 47,
    }),
  ),
  /** Upper-case hex, as X509Certificate.serialNumber gives it. */
  serial: text((value, name) =>
    requireText(value, name, { expected: 'upper-case hex', pattern: SERIAL, maxLength: 64 }),
  ),
  issuer: text((value, name) => requireLine(value, name, 1024)),
  /** SHA-256 of the certificate's DER bytes, lower-case hex without colons. */
  fingerprint: text(requireSha256Hex),
  notBefore: text(requireInstant),
  notAfter: text(requireInstant),
  /** ACTIVE | REVOKED */
  status: text((value, name) => requireOneOf(value, name, CERTIFICATE_STATUSES)),
  recordedAt: text(requireInstant),
  /** Present only when REVOKED. */
  revokedAt: optional(text(requireInstant)),
  /** Present only when REVOKED. */
  revocationReason: optional(text((value, name) => requireProse(value, name, MAX_REVOCATION_REASON))),
};

export type CertificateRecordFields = FieldsOf<typeof CERTIFICATE_RECORD>;

interface Revocation {
  readonly revokedAt: string;
  readonly revocationReason: string;
}

/**
 * The ledger's record of a holder's current asset certificate (R3). Only
 * facts about the certificate are kept, never the certificate itself: it may
 * carry personal attributes. Earlier certificates stay in the key's history.
 */
@DataType()
export class CertificateRecord extends record(CERTIFICATE_RECORD) {
  static parse(value: unknown): CertificateRecord {
    const fields = parseFields(CERTIFICATE_RECORD, value, 'certificate record');
    const revoked = fields.revokedAt !== undefined && fields.revocationReason !== undefined;
    if (revoked !== (fields.status === 'REVOKED')) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        'revokedAt and revocationReason go with status REVOKED, and only with it',
      );
    }
    return new CertificateRecord(fields);
  }

  revoked(revocation: Revocation): CertificateRecord {
    return new CertificateRecord({ ...this.fields(), status: 'REVOKED', ...revocation });
  }
}

export const certificateRecordCodec = recordCodec((value) => CertificateRecord.parse(value));
