import { Object as DataType, Property } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { canonicalBytes, HOLDER_ENROLLMENT_ID, type JsonValue } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import {
  type Fields,
  requireFields,
  requireInstant,
  requireLine,
  requireOneOf,
  requireProse,
  requireSha256Hex,
  requireText,
} from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';
import { parseStored } from '../values/codec';

export const CERTIFICATE_STATUSES = ['ACTIVE', 'REVOKED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const MAX_REVOCATION_REASON = 500;
const SERIAL = /^[0-9A-F]+$/;

interface Revocation {
  readonly revokedAt: string;
  readonly revocationReason: string;
}

export interface CertificateRecordFields {
  readonly assetId: string;
  readonly holderId: string;
  readonly enrollmentId: string;
  readonly serial: string;
  readonly issuer: string;
  readonly fingerprint: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly status: CertificateStatus;
  readonly recordedAt: string;
  readonly revocation?: Revocation;
}

/**
 * The ledger's record of a holder's current asset certificate (R3). Only
 * facts about the certificate are kept, never the certificate itself: it may
 * carry personal attributes. Earlier certificates stay in the key's history.
 */
@DataType()
export class CertificateRecord {
  @Property('assetId', 'string')
  readonly assetId: string;

  @Property('holderId', 'string')
  readonly holderId: string;

  /**
   * The certificate's enrollment ID on the asset CA (its CN): `holder-` and 40
   * hex digits nobody else could register first (R3). Revoking it at the CA
   * revokes every certificate of this holding's generation.
   */
  @Property('enrollmentId', 'string')
  readonly enrollmentId: string;

  /** Upper-case hex, as X509Certificate.serialNumber gives it. */
  @Property('serial', 'string')
  readonly serial: string;

  @Property('issuer', 'string')
  readonly issuer: string;

  /** SHA-256 of the certificate's DER bytes, lower-case hex without colons. */
  @Property('fingerprint', 'string')
  readonly fingerprint: string;

  @Property('notBefore', 'string')
  readonly notBefore: string;

  @Property('notAfter', 'string')
  readonly notAfter: string;

  /** ACTIVE | REVOKED */
  @Property('status', 'string')
  readonly status: CertificateStatus;

  @Property('recordedAt', 'string')
  readonly recordedAt: string;

  /** Present only when REVOKED. */
  @Property('revokedAt', 'string')
  readonly revokedAt?: string;

  /** Present only when REVOKED. */
  @Property('revocationReason', 'string')
  readonly revocationReason?: string;

  constructor(fields: CertificateRecordFields) {
    this.assetId = fields.assetId;
    this.holderId = fields.holderId;
    this.enrollmentId = fields.enrollmentId;
    this.serial = fields.serial;
    this.issuer = fields.issuer;
    this.fingerprint = fields.fingerprint;
    this.notBefore = fields.notBefore;
    this.notAfter = fields.notAfter;
    this.status = fields.status;
    this.recordedAt = fields.recordedAt;
    if (fields.revocation !== undefined) {
      this.revokedAt = fields.revocation.revokedAt;
      this.revocationReason = fields.revocation.revocationReason;
    }
  }

  static parse(value: unknown): CertificateRecord {
    const fields = requireFields(
      value,
      'certificate record',
      [
        'assetId',
        'holderId',
        'enrollmentId',
        'serial',
        'issuer',
        'fingerprint',
        'notBefore',
        'notAfter',
        'status',
        'recordedAt',
      ],
      ['revokedAt', 'revocationReason'],
    );
    const status = requireOneOf(fields['status'], 'status', CERTIFICATE_STATUSES);
    return new CertificateRecord({
      assetId: requireAssetId(fields['assetId']),
      holderId: requireUserId(fields['holderId'], 'holderId'),
      enrollmentId: requireEnrollmentId(fields['enrollmentId']),
      serial: requireText(fields['serial'], 'serial', {
        expected: 'upper-case hex',
        pattern: SERIAL,
        maxLength: 64,
      }),
      issuer: requireLine(fields['issuer'], 'issuer', 1024),
      fingerprint: requireSha256Hex(fields['fingerprint'], 'fingerprint'),
      notBefore: requireInstant(fields['notBefore'], 'notBefore'),
      notAfter: requireInstant(fields['notAfter'], 'notAfter'),
      status,
      recordedAt: requireInstant(fields['recordedAt'], 'recordedAt'),
      ...parseRevocation(fields, status),
    });
  }

  revoked(revocation: Revocation): CertificateRecord {
    return new CertificateRecord({ ...this.#fields(), status: 'REVOKED', revocation });
  }

  toBytes(): Uint8Array {
    const revocation: Record<string, JsonValue> =
      this.revokedAt === undefined || this.revocationReason === undefined
        ? {}
        : { revokedAt: this.revokedAt, revocationReason: this.revocationReason };
    return canonicalBytes({ ...this.#fields(), ...revocation });
  }

  #fields(): Omit<CertificateRecordFields, 'revocation'> {
    return {
      assetId: this.assetId,
      holderId: this.holderId,
      enrollmentId: this.enrollmentId,
      serial: this.serial,
      issuer: this.issuer,
      fingerprint: this.fingerprint,
      notBefore: this.notBefore,
      notAfter: this.notAfter,
      status: this.status,
      recordedAt: this.recordedAt,
    };
  }
}

function requireEnrollmentId(value: unknown): string {
  return requireText(value, 'enrollmentId', {
    expected: 'holder- and 40 lower-case hex digits',
    pattern: HOLDER_ENROLLMENT_ID,
    maxLength: 47,
  });
}

function parseRevocation(fields: Fields, status: CertificateStatus): { revocation?: Revocation } {
  const revoked = status === 'REVOKED';
  if (revoked !== (fields['revokedAt'] !== undefined && fields['revocationReason'] !== undefined)) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      'revokedAt and revocationReason go with status REVOKED, and only with it',
    );
  }
  if (!revoked) {
    return {};
  }
  return {
    revocation: {
      revokedAt: requireInstant(fields['revokedAt'], 'revokedAt'),
      revocationReason: requireProse(fields['revocationReason'], 'revocationReason', MAX_REVOCATION_REASON),
    },
  };
}

export const certificateRecordCodec: Codec<CertificateRecord> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => CertificateRecord.parse(value)),
  toBytes: (value) => value.toBytes(),
};
