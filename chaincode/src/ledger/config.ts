import type { X509Certificate } from 'node:crypto';
import { ConfigName, KeyPrefix } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import {
  type AssetCertificateAuthority,
  assetCertificateAuthorityCodec,
} from '../model/asset-certificate-authority';
import { type ReferenceSecret, referenceSecretCodec } from '../model/reference-secret';
import { parseCertificate } from '../values/certificates';
import { stateKey } from './state-keys';
import { getRecord, putRecord } from './state';

type Stub = Context['stub'];

function assetCaKey(stub: Stub): string {
  return stateKey(stub, KeyPrefix.config, ConfigName.assetCertificateAuthority);
}

export async function getAssetCertificateAuthority(
  stub: Stub,
): Promise<AssetCertificateAuthority | undefined> {
  return getRecord(stub, assetCaKey(stub), assetCertificateAuthorityCodec);
}

/** The asset CA recorded on the ledger, undefined before one is set. */
export async function storedAssetCa(ctx: Context): Promise<X509Certificate | undefined> {
  const record = await getAssetCertificateAuthority(ctx.stub);
  return record === undefined ? undefined : parseCertificate(record.pem, 'stored asset CA certificate');
}

export async function putAssetCertificateAuthority(
  stub: Stub,
  value: AssetCertificateAuthority,
): Promise<void> {
  await putRecord(stub, assetCaKey(stub), value, assetCertificateAuthorityCodec);
}

function referenceSecretKey(stub: Stub, mspId: string): string {
  return stateKey(stub, KeyPrefix.config, ConfigName.referenceSecret, mspId);
}

/** A platform's reference-secret fingerprint, undefined before its first user registration. */
export async function getReferenceSecret(stub: Stub, mspId: string): Promise<ReferenceSecret | undefined> {
  return getRecord(stub, referenceSecretKey(stub, mspId), referenceSecretCodec);
}

export async function putReferenceSecret(stub: Stub, value: ReferenceSecret): Promise<void> {
  await putRecord(stub, referenceSecretKey(stub, value.platform), value, referenceSecretCodec);
}
