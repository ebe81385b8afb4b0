import { KeyPrefix } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { type ImportBatch, importBatchCodec } from '../model/import-batch';
import { scanPartial } from './query';
import { stateKey } from './state-keys';
import { putRecord } from './state';

type Stub = Context['stub'];

/** One record per batch, keyed by its transaction: batches write no shared key. */
export async function putImportBatch(stub: Stub, batch: ImportBatch): Promise<void> {
  await putRecord(
    stub,
    stateKey(stub, KeyPrefix.importBatch, batch.assetId, batch.txId),
    batch,
    importBatchCodec,
  );
}

/** Every batch record of an asset's import: a hundred for 100,000 holders, not a read per holding. */
export async function importBatchesOf(stub: Stub, assetId: string): Promise<ImportBatch[]> {
  return scanPartial(stub, KeyPrefix.importBatch, [assetId], importBatchCodec);
}
