import type { Context } from 'fabric-contract-api';
import {
  type AssetCertificateAuthority,
  assetCertificateAuthorityCodec,
} from '../model/asset-certificate-authority';
import { ConfigName, KeyPrefix } from '@crowdledger/protocol';
import { stateKey } from './keys';
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

export async function putAssetCertificateAuthority(
  stub: Stub,
  value: AssetCertificateAuthority,
): Promise<void> {
  await putRecord(stub, assetCaKey(stub), value, assetCertificateAuthorityCodec);
}
