import { EventName, type HolderQueryRequest, Transient } from '@crowdledger/protocol';
import type { X509Certificate } from 'node:crypto';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError, isChaincodeError } from '../values/errors';
import { getAsset, getHolding, putHolding } from '../ledger/assets';
import { getCertificateRecord, putCertificateRecord } from '../ledger/certificates';
import { emitEvent } from '../ledger/events';
import { requireTransientBytes, txTime } from '../ledger/state';
import {
  CertificateBatchRefusal,
  CertificateBatchResult,
  certificatesRecordedBytes,
} from '../model/certificate-batch';
import type { CertificateRecord } from '../model/certificate-record';
import type { CertificateView } from '../model/certificate-view';
import { requireHolderCertificate } from '../rules/asset-certificates';
import { type BatchItem, parseCertificateBatch } from '../rules/certificate-batches';
import {
  parseHolderQuery,
  requireBoundAndFresh,
  requireHolderSignature,
  requireSameAsset,
} from '../rules/holder-queries';
import {
  certificateView,
  requireActiveRecord,
  requireRevocationReason,
  revokedRecord,
} from '../rules/certificate-records';
import { fingerprintOf, parseCertificate } from '../values/certificates';
import { requireUtf8 } from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';
import type { HolderKey } from '../model/caller';
import { requirePublicReader, requireWriter } from '../rules/identity';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import {
  type DecidedRecord,
  decideRecord,
  type Recording,
  requireAssetCa,
  requireHolderPlatform,
  writeRecord,
} from '../steps/certificates';

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
    const recording = { caller, assetCa: await requireAssetCa(ctx), at: txTime(ctx.stub) };
    const decided = await decideRecord(ctx, recording, ref, cert);
    await writeRecord(ctx, decided);
    if (decided.changed) {
      emitEvent(ctx.stub, EventName.certificateRecorded, decided.record.toBytes());
    }
    return decided.record;
  }

  /**
   * Records many certificates in one transaction: `items` is a JSON list of
   * {assetId, holderId} (at most MAX_CERTIFICATE_BATCH), and the transient
   * `certificates` a JSON list of their PEMs in the same order. Each item is
   * checked by Record's own code; one Record would refuse is left out
   * whole and reported with Record's code and sentence in `refused`, the
   * others are recorded. The batch fails whole, writing nothing, when it is
   * malformed (INVALID_ARGUMENT, BATCH_TOO_LARGE), when the caller may not
   * record (FORBIDDEN), or when any item is another platform's holder
   * (FORBIDDEN: an unauthorised act changes nothing, R13). One
   * CertificatesRecorded event carries the new records.
   */
  @Transaction()
  @Returns('CertificateBatchResult')
  async RecordBatch(ctx: Context, items: string): Promise<CertificateBatchResult> {
    const caller = await currentCaller(ctx);
    requireWriter(caller);
    const pems = requireUtf8(requireTransientBytes(ctx.stub, Transient.certificates), 'certificates');
    const batch = parseCertificateBatch(items, pems);
    const recording = { caller, assetCa: await requireAssetCa(ctx), at: txTime(ctx.stub) };
    const decided: DecidedRecord[] = [];
    const refused: CertificateBatchRefusal[] = [];
    for (const [index, item] of batch.entries()) {
      const outcome = await decideItem(ctx, recording, item, index);
      if (outcome instanceof CertificateBatchRefusal) {
        refused.push(outcome);
      } else {
        decided.push(outcome);
      }
    }
    for (const each of decided) {
      await writeRecord(ctx, each);
    }
    const written = decided.filter((each) => each.changed).map((each) => each.record);
    if (written.length > 0) {
      emitEvent(ctx.stub, EventName.certificatesRecorded, certificatesRecordedBytes(written));
    }
    return new CertificateBatchResult(
      decided.map((each) => each.record),
      refused,
    );
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

/**
 * One item of a batch through Record's checks: its decided record, or its
 * refusal. FORBIDDEN is no item's fault but the caller's, so it fails the
 * whole batch; so does anything that is not a ChaincodeError.
 */
async function decideItem(
  ctx: Context,
  recording: Recording,
  item: BatchItem,
  index: number,
): Promise<DecidedRecord | CertificateBatchRefusal> {
  const ref = { assetId: item.assetId, holderId: item.holderId };
  try {
    return await decideRecord(ctx, recording, ref, parseCertificate(item.pem, 'the asset certificate'));
  } catch (error) {
    if (!isChaincodeError(error)) {
      throw error;
    }
    if (error.code === 'FORBIDDEN') {
      throw new ChaincodeError(
        'FORBIDDEN',
        `item ${String(index)} (${ref.assetId}/${ref.holderId}): ${error.sentence}; nothing of this batch was recorded`,
        { cause: error },
      );
    }
    return new CertificateBatchRefusal({ index, ...ref, code: error.code, sentence: error.sentence });
  }
}
