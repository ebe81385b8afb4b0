import type { Context } from 'fabric-contract-api';
import { type CertificateRecord, certificateRecordCodec } from '../model/certificate-record';
import { KeyPrefix } from '@crowdledger/protocol';
import { stateKey } from './state-keys';
import { getRecord, putRecord } from './state';

type Stub = Context['stub'];

export function certificateKey(stub: Stub, assetId: string, holderId: string): string {
  return stateKey(stub, KeyPrefix.certificate, assetId, holderId);
}

export async function getCertificateRecord(
  stub: Stub,
  assetId: string,
  holderId: string,
): Promise<CertificateRecord | undefined> {
  return getRecord(stub, certificateKey(stub, assetId, holderId), certificateRecordCodec);
}

export async function putCertificateRecord(stub: Stub, record: CertificateRecord): Promise<void> {
  await putRecord(
    stub,
    certificateKey(stub, record.assetId, record.holderId),
    record,
    certificateRecordCodec,
  );
}
