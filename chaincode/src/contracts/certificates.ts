import { type HolderQueryRequest, Transient } from '@crowdledger/protocol';
import type { X509Certificate } from 'node:crypto';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { getAsset, getHolding, putHolding, requireAsset } from '../ledger/assets';
import { getCertificateRecord, putCertificateRecord } from '../ledger/certificates';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { requireTransientBytes, txTime } from '../ledger/state';
import type { CertificateRecord } from '../model/certificate-record';
import type { CertificateView } from '../model/certificate-view';
import { requireAssetCertificate, requireHolderCertificate } from '../rules/asset-certificates';
import {
  parseHolderQuery,
  requireBoundAndFresh,
  requireHolderSignature,
  requireSameAsset,
} from '../rules/holder-queries';
import {
  certificateView,
  nextCertificateRecord,
  requireActiveRecord,
  requireHolder,
  requireRevocationReason,
  revokedRecord,
} from '../rules/certificate-records';
import { fingerprintOf, parseCertificate } from '../values/certificates';
import { requireUtf8 } from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';
import type { CallerDescription, HolderKey } from '../model/caller';
import { requireOwnPlatformOrAdmin, requirePublicReader, requireWriter } from '../rules/identity';
import { requireAccepted } from '../rules/pending-holdings';
import { CrowdLedgerContract } from './base';
import { storedAssetCa } from '../ledger/config';
import { currentCaller } from '../steps/caller';
import { requireUser } from '../ledger/users';

/** Records of holders' asset certificates (R3, R6) and the holder's own query, relayed (R4). */
@Info({ title: 'certificates', description: 'Asset certificate records and holder queries' })
export class CertificatesContract extends CrowdLedgerContract {
  constructor() {
    super('certificates');
  }

  /**
   * Records the certificate the asset CA issued to a holder. Recording the
   * active certificate again changes nothing and returns its record; another
   * one is refused (CERTIFICATE_INVALID) until Revoke ends the active one,
   * so a reissue shows in the history as a revocation and never leaves the
   * replaced certificate live.
   */
  @Transaction()
  @Returns('CertificateRecord')
  async Record(ctx: Context, assetId: string, holderId: string): Promise<CertificateRecord> {
    const caller = await currentCaller(ctx);
    requireWriter(caller);
    const ref = holdingRef(assetId, holderId);
    const pem = requireUtf8(requireTransientBytes(ctx.stub, Transient.certificate), 'certificate');
    const cert = parseCertificate(pem, 'the asset certificate');
    const assetCa = await requireAssetCa(ctx);
    await requireAsset(ctx, ref.assetId);
    await requireHolderPlatform(ctx, caller, ref, "record this holder's certificates");
    const holding = requireHolder(await getHolding(ctx.stub, ref.assetId, ref.holderId), ref);
    requireAccepted(holding, 'have a certificate recorded');
    const at = txTime(ctx.stub);
    const checked = requireAssetCertificate(cert, assetCa, at, ref);
    const current = await getCertificateRecord(ctx.stub, ref.assetId, ref.holderId);
    const { record, changed } = nextCertificateRecord(current, cert, checked, at);
    if (!changed) {
      return record;
    }
    await putCertificateRecord(ctx.stub, record);
    await putHolding(ctx.stub, holding.withCertificate('ISSUED'));
    emitEvent(ctx.stub, EventName.certificateRecorded, record.toBytes());
    return record;
  }

  /** Marks the holder's current certificate revoked on the ledger; the CA's own revocation is separate. */
  @Transaction()
  @Returns('CertificateRecord')
  async Revoke(ctx: Context, assetId: string, holderId: string, reason: string): Promise<CertificateRecord> {
    const caller = await currentCaller(ctx);
    requireWriter(caller);
    const ref = holdingRef(assetId, holderId);
    const why = requireRevocationReason(reason);
    await requireHolderPlatform(ctx, caller, ref, "revoke this holder's certificates");
    const current = await getCertificateRecord(ctx.stub, ref.assetId, ref.holderId);
    const record = revokedRecord(current, ref, why, txTime(ctx.stub));
    const holding = await getHolding(ctx.stub, ref.assetId, ref.holderId);
    await putCertificateRecord(ctx.stub, record);
    if (holding !== undefined) {
      await putHolding(ctx.stub, holding.withCertificate('REVOKED'));
    }
    emitEvent(ctx.stub, EventName.certificateRevoked, record.toBytes());
    return record;
  }

  @Transaction(false)
  @Returns('CertificateRecord')
  async Get(ctx: Context, assetId: string, holderId: string): Promise<CertificateRecord> {
    requirePublicReader(await currentCaller(ctx));
    const ref = holdingRef(assetId, holderId);
    const record = await getCertificateRecord(ctx.stub, ref.assetId, ref.holderId);
    if (record === undefined) {
      throw new ChaincodeError('NOT_FOUND', `no certificate is recorded for ${ref.assetId}/${ref.holderId}`);
    }
    return record;
  }

  /**
   * R4, relayed: a holder is no channel identity, so a platform (any
   * platform) or the registry evaluates this with the holder's certificate,
   * query request and signature in the transient map. The certificate must
   * come from the asset CA on the ledger and be current, the request must
   * carry the holder's signature, name this certificate and asset and be
   * fresh, and the certificate must be the holding's active one on record.
   * The answer is that holder's asset and holding only; nothing is written.
   */
  @Transaction(false)
  @Returns('CertificateView')
  async QueryByCertificate(ctx: Context): Promise<CertificateView> {
    requirePublicReader(await currentCaller(ctx));
    const presented = readHolderQuery(ctx);
    const at = txTime(ctx.stub);
    const holder = requireHolderCertificate(presented.cert, await requireAssetCa(ctx), at);
    requireHolderSignature(presented.cert, presented.request, presented.signature);
    requireBoundAndFresh(presented.cert, presented.request, at);
    requireSameAsset(presented.request, holder);
    const stored = await getCertificateRecord(ctx.stub, holder.assetId, holder.holderId);
    const record = requireActiveRecord(stored, fingerprintOf(presented.cert));
    const asset = await getAsset(ctx.stub, holder.assetId);
    const holding = await getHolding(ctx.stub, holder.assetId, holder.holderId);
    if (asset === undefined || holding === undefined) {
      throw new ChaincodeError('CERTIFICATE_INVALID', 'the holding this certificate names no longer exists');
    }
    return certificateView(asset, holding, record);
  }
}

interface PresentedQuery {
  readonly cert: X509Certificate;
  readonly request: HolderQueryRequest;
  readonly signature: string;
}

/** The certificate, request and signature a relay passed in the transient map. */
function readHolderQuery(ctx: Context): PresentedQuery {
  const text = (field: string): string => requireUtf8(requireTransientBytes(ctx.stub, field), field);
  return {
    cert: parseCertificate(text(Transient.certificate), 'the asset certificate'),
    request: parseHolderQuery(text(Transient.holderQuery)),
    signature: text(Transient.holderSignature),
  };
}

function holdingRef(assetId: string, holderId: string): HolderKey {
  return { assetId: requireAssetId(assetId), holderId: requireUserId(holderId, 'holderId') };
}

async function requireAssetCa(ctx: Context): Promise<X509Certificate> {
  const assetCa = await storedAssetCa(ctx);
  if (assetCa === undefined) {
    throw new ChaincodeError(
      'NOT_FOUND',
      'no asset-certificate CA is configured yet (identity:SetAssetCertificateAuthority)',
    );
  }
  return assetCa;
}

async function requireHolderPlatform(
  ctx: Context,
  caller: CallerDescription,
  ref: HolderKey,
  what: string,
): Promise<void> {
  const user = await requireUser(ctx, ref.holderId);
  requireOwnPlatformOrAdmin(caller, user.platform, what);
}
