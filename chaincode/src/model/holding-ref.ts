import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../ledger/state';
import { requireFields } from '../rules/guards';
import { requireAssetId, requireUserId } from '../rules/ids';
import { parseStored } from './stored';

/** Value of a holdingByUser index entry: which holding record to read. */
export class HoldingRef {
  readonly assetId: string;
  readonly userId: string;

  constructor(assetId: string, userId: string) {
    this.assetId = assetId;
    this.userId = userId;
  }

  static parse(value: unknown): HoldingRef {
    const fields = requireFields(value, 'holding index entry', ['assetId', 'userId']);
    return new HoldingRef(requireAssetId(fields['assetId']), requireUserId(fields['userId']));
  }

  toBytes(): Uint8Array {
    return canonicalBytes({ assetId: this.assetId, userId: this.userId });
  }
}

export const holdingRefCodec: Codec<HoldingRef> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => HoldingRef.parse(value)),
  toBytes: (value) => value.toBytes(),
};
