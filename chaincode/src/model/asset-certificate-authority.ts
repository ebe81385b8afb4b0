import { Object as DataType } from 'fabric-contract-api';
import type { Codec } from '../values/codec';
import { ChaincodeError } from '../values/errors';
import { fromJsonBytes } from '../values/json';
import { record, text } from './record';

// The schema gives type and metadata; fromBytes below does its own checks.
const asIs = (value: unknown): string => value as string;

const ASSET_CA = {
  pem: text(asIs),
  /** SHA-256 fingerprint as colon-separated hex, as openssl prints it. */
  fingerprint256: text(asIs),
  subject: text(asIs),
  /** ISO-8601 end of the certificate's validity. */
  validTo: text(asIs),
  /** ISO-8601 transaction time of the update. */
  setAt: text(asIs),
  /** Subject of the registry admin who set it. */
  setBy: text(asIs),
};

/**
 * The registry's asset-certificate CA as configured on the ledger. Holders are
 * recognised by having been issued by this certificate.
 */
@DataType()
export class AssetCertificateAuthority extends record(ASSET_CA) {
  static fromBytes(bytes: Uint8Array, key: string): AssetCertificateAuthority {
    const parsed = fromJsonBytes(bytes, key);
    if (typeof parsed !== 'object' || parsed === null) {
      throw new ChaincodeError('CORRUPT_STATE', `record ${key} is not an object`);
    }
    const stored = parsed as Partial<Record<string, unknown>>;
    for (const name of Object.keys(ASSET_CA)) {
      if (typeof stored[name] !== 'string') {
        throw new ChaincodeError('CORRUPT_STATE', `record ${key} has no string field ${name}`);
      }
    }
    return new AssetCertificateAuthority(
      stored as ConstructorParameters<typeof AssetCertificateAuthority>[0],
    );
  }
}

export const assetCertificateAuthorityCodec: Codec<AssetCertificateAuthority> = {
  fromBytes: (bytes, key) => AssetCertificateAuthority.fromBytes(bytes, key),
  toBytes: (value) => value.toBytes(),
};
