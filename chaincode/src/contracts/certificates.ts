import { Transient } from '@crowdledger/protocol';
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
import { requireAssetCertificate } from '../rules/asset-certificates';
import {
  certificateView,
  nextCertificateRecord,
  requireActiveRecord,
  requireHolder,
  requireRevocationReason,
  revokedRecord,
} from '../rules/certificate-records';
import { fingerprintOf, parseCertificate, requireCurrent } from '../values/certificates';
import { requireUtf8 } from '../values/guards';
import { isAssetId, isUserId } from '@crowdledger/protocol';
import { requireAssetId, requireUserId } from '../values/ids';
import type { CallerDescription, HolderKey } from '../model/caller';
import {
  describeCaller,
  requireOwnPlatformOrAdmin,
  requirePublicReader,
  requireWriter,
} from '../rules/identity';
import { requireAccepted } from '../rules/pending-holdings';
import { CrowdLedgerContract } from './base';
import { callerFacts } from '../ledger/caller';
import { storedAssetCa } from '../ledger/config';
import { currentCaller } from '../steps/caller';
import { requireUser } from '../ledger/users';

/** Records of holders' asset certificates (R3, R6) and the holder's own query (R4). */
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
    requireAssetCertificate(cert, assetCa, at, ref);
    const current = await getCertificateRecord(ctx.stub, ref.assetId, ref.holderId);
    const { record, changed } = nextCertificateRecord(current, cert, ref, at);
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
   * R4: the calling identity is the holder's asset certificate. It sees its
   * asset and holding only while that certificate is the active one on record.
   */
  @Transaction(false)
  @Returns('CertificateView')
  async QueryByCertificate(ctx: Context): Promise<CertificateView> {
    const facts = callerFacts(ctx);
    const ref = presentedHolding(describeCaller(facts, await storedAssetCa(ctx)));
    requireCurrent(facts.certificate, txTime(ctx.stub), 'this certificate');
    const stored = await getCertificateRecord(ctx.stub, ref.assetId, ref.holderId);
    const record = requireActiveRecord(stored, fingerprintOf(facts.certificate));
    const asset = await getAsset(ctx.stub, ref.assetId);
    const holding = await getHolding(ctx.stub, ref.assetId, ref.holderId);
    if (asset === undefined || holding === undefined) {
      throw new ChaincodeError('CERTIFICATE_INVALID', 'the holding this certificate names no longer exists');
    }
    return certificateView(asset, holding, record);
  }
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

/** Only an asset certificate naming well-formed IDs gets past here; no other caller is told more. */
function presentedHolding(caller: CallerDescription): HolderKey {
  const { holder } = caller;
  if (holder === null) {
    throw new ChaincodeError('CERTIFICATE_INVALID', 'the calling identity is not an asset certificate');
  }
  if (!isAssetId(holder.assetId) || !isUserId(holder.holderId)) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      'this certificate is not the one on record for its holding',
    );
  }
  return holder;
}
