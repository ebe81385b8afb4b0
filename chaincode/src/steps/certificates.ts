// Recording a holder's certificate, shared by certificates:Record and
// certificates:RecordBatch so that every certificate of a batch is checked
// by the very code that checks one alone (R3).
import type { X509Certificate } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { getHolding, putHolding, requireAsset } from '../ledger/assets';
import { getCertificateRecord, putCertificateRecord } from '../ledger/certificates';
import { storedAssetCa } from '../ledger/config';
import { requireUser } from '../ledger/users';
import type { CallerDescription, HolderKey } from '../model/caller';
import type { Holding } from '../model/holding';
import { requireAssetCertificate } from '../rules/asset-certificates';
import { type NextRecord, nextCertificateRecord, requireHolder } from '../rules/certificate-records';
import { requireOwnPlatformOrAdmin } from '../rules/identity';
import { requireAccepted } from '../rules/pending-holdings';
import { ChaincodeError } from '../values/errors';

/** What every certificate of one transaction is checked against. */
export interface Recording {
  /** The caller, already known to be a writer. */
  readonly caller: CallerDescription;
  /** The asset CA recorded on the ledger. */
  readonly assetCa: X509Certificate;
  /** The transaction's time. */
  readonly at: Date;
}

/** A certificate that passed every check, and the holding it is for: what to write. */
export interface DecidedRecord extends NextRecord {
  readonly holding: Holding;
}

/** The asset CA recorded on the ledger; NOT_FOUND before the registry set it. */
export async function requireAssetCa(ctx: Context): Promise<X509Certificate> {
  const assetCa = await storedAssetCa(ctx);
  if (assetCa === undefined) {
    throw new ChaincodeError(
      'NOT_FOUND',
      'no asset-certificate CA is configured yet (identity:SetAssetCertificateAuthority)',
    );
  }
  return assetCa;
}

/** Only the holder's own platform, or the registry admin, acts on a holder's certificates (R13). */
export async function requireHolderPlatform(
  ctx: Context,
  caller: CallerDescription,
  ref: HolderKey,
  what: string,
): Promise<void> {
  const user = await requireUser(ctx, ref.holderId);
  requireOwnPlatformOrAdmin(caller, user.platform, what);
}

/**
 * certificates:Record's checks of one holding and its certificate, in
 * Record's order, reading and never writing: the asset exists, the caller
 * may act for the holder, the holder holds accepted units, the certificate
 * comes from the asset CA, is current and names this holding, and may follow
 * the recorded one.
 */
export async function decideRecord(
  ctx: Context,
  recording: Recording,
  ref: HolderKey,
  cert: X509Certificate,
): Promise<DecidedRecord> {
  await requireAsset(ctx, ref.assetId);
  await requireHolderPlatform(ctx, recording.caller, ref, "record this holder's certificates");
  const holding = requireHolder(await getHolding(ctx.stub, ref.assetId, ref.holderId), ref);
  requireAccepted(holding, 'have a certificate recorded');
  const checked = requireAssetCertificate(cert, recording.assetCa, recording.at, ref);
  const current = await getCertificateRecord(ctx.stub, ref.assetId, ref.holderId);
  return { ...nextCertificateRecord(current, cert, checked, recording.at), holding };
}

/** Writes a decided record and marks its holding ISSUED; a record that did not change writes nothing. */
export async function writeRecord(ctx: Context, decided: DecidedRecord): Promise<void> {
  if (decided.changed) {
    await putCertificateRecord(ctx.stub, decided.record);
    await putHolding(ctx.stub, decided.holding.withCertificate('ISSUED'));
  }
}
