import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../ledger/state';
import { requireFields } from '../rules/guards';
import { requireAssetId } from '../rules/ids';
import { parseStored } from './stored';

/**
 * Value of an assetByPlatform index entry. Fabric treats an empty value as a
 * delete, so the entry names its asset instead of holding nothing.
 */
export class AssetRef {
  readonly assetId: string;

  constructor(assetId: string) {
    this.assetId = assetId;
  }

  static parse(value: unknown): AssetRef {
    return new AssetRef(requireAssetId(requireFields(value, 'asset index entry', ['assetId'])['assetId']));
  }

  toBytes(): Uint8Array {
    return canonicalBytes({ assetId: this.assetId });
  }
}

export const assetRefCodec: Codec<AssetRef> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => AssetRef.parse(value)),
  toBytes: (value) => value.toBytes(),
};
