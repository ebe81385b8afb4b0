import { Object as DataType, Property } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { canonicalBytes } from '@crowdledger/protocol';
import { fromJsonBytes } from '../values/json';
import type { Codec } from '../values/codec';

const FIELDS = ['pem', 'fingerprint256', 'subject', 'validTo', 'setAt', 'setBy'] as const;

type Fields = Record<(typeof FIELDS)[number], string>;

/**
 * The registry's asset-certificate CA as configured on the ledger. Holders are
 * recognised by having been issued by this certificate.
 */
@DataType()
export class AssetCertificateAuthority {
  @Property('pem', 'string')
  readonly pem: string;

  /** SHA-256 fingerprint as colon-separated hex, as openssl prints it. */
  @Property('fingerprint256', 'string')
  readonly fingerprint256: string;

  @Property('subject', 'string')
  readonly subject: string;

  /** ISO-8601 end of the certificate's validity. */
  @Property('validTo', 'string')
  readonly validTo: string;

  /** ISO-8601 transaction time of the update. */
  @Property('setAt', 'string')
  readonly setAt: string;

  /** Subject of the registry admin who set it. */
  @Property('setBy', 'string')
  readonly setBy: string;

  constructor(fields: Fields) {
    this.pem = fields.pem;
    this.fingerprint256 = fields.fingerprint256;
    this.subject = fields.subject;
    this.validTo = fields.validTo;
    this.setAt = fields.setAt;
    this.setBy = fields.setBy;
  }

  static fromBytes(bytes: Uint8Array, key: string): AssetCertificateAuthority {
    const parsed = fromJsonBytes(bytes, key);
    if (typeof parsed !== 'object' || parsed === null) {
      throw new ChaincodeError('CORRUPT_STATE', `record ${key} is not an object`);
    }
    const record = parsed as Partial<Record<string, unknown>>;
    const fields: Partial<Fields> = {};
    for (const name of FIELDS) {
      const value = record[name];
      if (typeof value !== 'string') {
        throw new ChaincodeError('CORRUPT_STATE', `record ${key} has no string field ${name}`);
      }
      fields[name] = value;
    }
    return new AssetCertificateAuthority(fields as Fields);
  }

  toBytes(): Uint8Array {
    return canonicalBytes({
      pem: this.pem,
      fingerprint256: this.fingerprint256,
      subject: this.subject,
      validTo: this.validTo,
      setAt: this.setAt,
      setBy: this.setBy,
    });
  }
}

export const assetCertificateAuthorityCodec: Codec<AssetCertificateAuthority> = {
  fromBytes: (bytes, key) => AssetCertificateAuthority.fromBytes(bytes, key),
  toBytes: (value) => value.toBytes(),
};
