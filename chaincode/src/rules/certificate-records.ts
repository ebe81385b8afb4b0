import type { X509Certificate } from 'node:crypto';
import { ChaincodeError } from '../values/errors';
import type { Asset } from '../model/asset';
import { CertificateRecord, MAX_REVOCATION_REASON } from '../model/certificate-record';
import { CertificateAssetView, CertificateHoldingView, CertificateView } from '../model/certificate-view';
import type { Holding } from '../model/holding';
import { distinguishedName, fingerprintOf } from '../values/certificates';
import { requireProse } from '../values/guards';
import type { HolderKey } from '../model/caller';
import type { HolderCertificate } from './asset-certificates';
import { shareOfTotal } from '../values/units';

/** A holder must hold units for a certificate to be recorded for them (R3). */
export function requireHolder(holding: Holding | undefined, ref: HolderKey): Holding {
  if (holding === undefined) {
    throw new ChaincodeError('NOT_HOLDER', `user ${ref.holderId} holds no units of ${ref.assetId}`);
  }
  return holding;
}

export interface NextRecord {
  readonly record: CertificateRecord;
  /** False when this very certificate is already the active one: a retried Record writes nothing. */
  readonly changed: boolean;
}

/**
 * The record for a checked certificate. Another certificate is recorded
 * only once the current one is revoked (certificates:Revoke), so a holding
 * never has two live certificates and the key's history shows every
 * replaced one REVOKED. Older and revoked certificates are refused so that
 * a superseded certificate cannot be brought back.
 */
export function nextCertificateRecord(
  current: CertificateRecord | undefined,
  cert: X509Certificate,
  checked: HolderCertificate,
  at: Date,
): NextRecord {
  const fingerprint = fingerprintOf(cert);
  const notBefore = cert.validFromDate.toISOString();
  if (current?.fingerprint === fingerprint) {
    if (current.status === 'ACTIVE') {
      return { record: current, changed: false };
    }
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `this certificate was revoked at ${String(current.revokedAt)}`,
    );
  }
  if (current !== undefined) {
    requireReplaceable(current, notBefore);
  }
  const record = new CertificateRecord({
    assetId: checked.assetId,
    holderId: checked.holderId,
    enrollmentId: checked.enrollmentId,
    serial: cert.serialNumber.toUpperCase(),
    issuer: distinguishedName(cert.issuer),
    fingerprint,
    notBefore,
    notAfter: cert.validToDate.toISOString(),
    status: 'ACTIVE',
    recordedAt: at.toISOString(),
  });
  return { record, changed: true };
}

/** A different certificate may follow the recorded one only once that is revoked, and never predate it. */
function requireReplaceable(current: CertificateRecord, notBefore: string): void {
  if (current.status === 'ACTIVE') {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `the certificate of ${current.assetId}/${current.holderId} with serial ${current.serial} is still active: revoke it (certificates:Revoke) before recording another`,
    );
  }
  if (notBefore < current.notBefore) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `this certificate (valid from ${notBefore}) is older than the recorded one (valid from ${current.notBefore})`,
    );
  }
}

export function requireRevocationReason(value: unknown): string {
  return requireProse(value, 'reason', MAX_REVOCATION_REASON);
}

export function revokedRecord(
  current: CertificateRecord | undefined,
  ref: HolderKey,
  reason: string,
  at: Date,
): CertificateRecord {
  if (current === undefined) {
    throw new ChaincodeError('NOT_FOUND', `no certificate is recorded for ${ref.assetId}/${ref.holderId}`);
  }
  if (current.status === 'REVOKED') {
    throw new ChaincodeError(
      'CERTIFICATE_REVOKED',
      `the certificate of ${ref.assetId}/${ref.holderId} (serial ${current.serial}) was already revoked at ${String(current.revokedAt)}`,
    );
  }
  return current.revoked({ revokedAt: at.toISOString(), revocationReason: reason });
}

/**
 * R4: the presented certificate must be the active one on record. The
 * sentences say why without any ledger data: the caller learns nothing
 * about the holding unless the certificate matches. A revoked one is refused
 * from the block that revoked it on.
 */
export function requireActiveRecord(
  record: CertificateRecord | undefined,
  fingerprint: string,
): CertificateRecord {
  if (record?.fingerprint !== fingerprint) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      'this certificate is not the one on record for its holding',
    );
  }
  if (record.status !== 'ACTIVE') {
    throw new ChaincodeError('CERTIFICATE_REVOKED', 'this certificate has been revoked');
  }
  return record;
}

export function certificateView(asset: Asset, holding: Holding, record: CertificateRecord): CertificateView {
  return new CertificateView(
    new CertificateAssetView({
      assetId: asset.assetId,
      attributes: asset.attributes,
      rights: asset.rights,
      totalUnits: asset.totalUnits,
    }),
    new CertificateHoldingView({
      units: holding.units,
      escrowed: holding.escrowed,
      free: holding.units - holding.escrowed,
      shareOfTotal: shareOfTotal(holding.units, asset.totalUnits),
      certificateSerial: record.serial,
    }),
  );
}
