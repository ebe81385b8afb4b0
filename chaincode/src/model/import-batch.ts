import { Object as DataType } from 'fabric-contract-api';
import { requireInstant, requireText, requireWholeNumber } from '../values/guards';
import { requireAssetId } from '../values/ids';
import { count, type FieldsOf, parseFields, record, recordCodec, text } from './record';

// Fabric's transaction IDs are 64 hex digits; any plain token is read back.
const TX_ID = /^[0-9A-Za-z-]+$/;

const IMPORT_BATCH = {
  assetId: text(requireAssetId),
  /** The imports:Add transaction that wrote the batch. */
  txId: text((value, name) =>
    requireText(value, name, { expected: 'a transaction ID', pattern: TX_ID, maxLength: 128 }),
  ),
  /** Holdings this batch wrote (holders it skipped or refused are not counted). */
  holders: count((value, name) => requireWholeNumber(value, name, 1, Number.MAX_SAFE_INTEGER)),
  /** Their units. */
  units: count((value, name) => requireWholeNumber(value, name, 1, Number.MAX_SAFE_INTEGER)),
  /** ISO-8601 transaction time. */
  importedAt: text(requireInstant),
};

export type ImportBatchFields = FieldsOf<typeof IMPORT_BATCH>;

/**
 * What one imports:Add wrote: imports:Finish sums these records instead of
 * reading every holding, and no batch rewrites a shared counter, so batches
 * never conflict with each other.
 */
@DataType()
export class ImportBatch extends record(IMPORT_BATCH) {
  static parse(value: unknown): ImportBatch {
    return new ImportBatch(parseFields(IMPORT_BATCH, value, 'import batch'));
  }
}

export const importBatchCodec = recordCodec((value) => ImportBatch.parse(value));
