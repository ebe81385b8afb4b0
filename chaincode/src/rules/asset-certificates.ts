import type { X509Certificate } from 'node:crypto';
import { isAssetId, isHolderEnrollmentId, isUserId } from '@crowdledger/protocol';
import { ChaincodeError } from '../values/errors';
import { commonName, fabricAttributes, isIssuedBy } from '../values/certificates';
import type { HolderKey } from '../model/caller';
import { Attribute } from './identity';

const WHAT = 'the asset certificate';

/** What a checked asset certificate is for, read from the certificate itself. */
export interface HolderCertificate extends HolderKey {
  /** Its enrollment ID on the asset CA (the CN), kept in the ledger's record. */
  readonly enrollmentId: string;
}

/**
 * R3, R4: a holder's certificate is an end-entity certificate signed by the
 * asset CA recorded on the ledger, current at the transaction time, whose CN
 * is a holder enrollment ID and whose Fabric CA attributes name an asset and
 * a user. The issuer is checked first: nothing else about a certificate from
 * anyone else is looked at.
 */
export function requireHolderCertificate(
  cert: X509Certificate,
  assetCa: X509Certificate,
  at: Date,
): HolderCertificate {
  if (cert.ca) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `${WHAT} is a CA certificate, not a holder's`);
  }
  if (!isIssuedBy(cert, assetCa)) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `${WHAT} was not issued by the asset-certificate CA`);
  }
  requireCurrentHolder(cert, at);
  const { assetId, holderId } = holdingNamed(cert);
  const enrollmentId = commonName(cert) ?? '';
  if (!isHolderEnrollmentId(enrollmentId)) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${WHAT}'s CN must be a holder enrollment ID: holder- and 40 lower-case hex digits`,
    );
  }
  return { assetId, holderId, enrollmentId };
}

function holdingNamed(cert: X509Certificate): HolderKey {
  const attributes = fabricAttributes(cert, WHAT);
  const assetId = attributes[Attribute.asset] ?? '';
  const holderId = attributes[Attribute.holder] ?? '';
  if (!isAssetId(assetId) || !isUserId(holderId)) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${WHAT}'s ${Attribute.asset} and ${Attribute.holder} attributes must be an asset ID and a user ID`,
    );
  }
  return { assetId, holderId };
}

/** As {@link requireHolderCertificate}, for the holding the caller names. */
export function requireAssetCertificate(
  cert: X509Certificate,
  assetCa: X509Certificate,
  at: Date,
  expected: HolderKey,
): HolderCertificate {
  const checked = requireHolderCertificate(cert, assetCa, at);
  if (checked.assetId !== expected.assetId || checked.holderId !== expected.holderId) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${WHAT}'s ${Attribute.asset} and ${Attribute.holder} attributes do not name ${expected.assetId} and ${expected.holderId}`,
    );
  }
  return checked;
}

function requireCurrentHolder(cert: X509Certificate, at: Date): void {
  if (at > cert.validToDate) {
    throw new ChaincodeError(
      'CERTIFICATE_EXPIRED',
      `${WHAT} expired at ${cert.validToDate.toISOString()}; it is now ${at.toISOString()}`,
    );
  }
  if (at < cert.validFromDate) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${WHAT} is valid only from ${cert.validFromDate.toISOString()}, not at ${at.toISOString()}`,
    );
  }
}
