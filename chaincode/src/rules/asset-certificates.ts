import type { X509Certificate } from 'node:crypto';
import { ChaincodeError } from '../values/errors';
import { fabricAttributes, isIssuedBy, requireCurrent } from '../values/certificates';
import type { HolderKey } from '../model/caller';
import { Attribute } from './identity';

const WHAT = 'the asset certificate';

/**
 * R3: a holder's certificate is an end-entity certificate from the asset CA,
 * current at the transaction time, whose Fabric CA attributes name exactly
 * this asset and holder.
 */
export function requireAssetCertificate(
  cert: X509Certificate,
  assetCa: X509Certificate,
  at: Date,
  expected: HolderKey,
): void {
  if (cert.ca) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `${WHAT} is a CA certificate, not a holder's`);
  }
  if (!isIssuedBy(cert, assetCa)) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `${WHAT} was not issued by the asset-certificate CA`);
  }
  requireCurrent(cert, at, WHAT);
  const attributes = fabricAttributes(cert, WHAT);
  if (
    attributes[Attribute.asset] !== expected.assetId ||
    attributes[Attribute.holder] !== expected.holderId
  ) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${WHAT}'s ${Attribute.asset} and ${Attribute.holder} attributes do not name ${expected.assetId} and ${expected.holderId}`,
    );
  }
}
