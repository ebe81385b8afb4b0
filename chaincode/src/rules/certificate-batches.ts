import { MAX_CERTIFICATE_BATCH } from '@crowdledger/protocol';
import type { HolderKey } from '../model/caller';
import { ChaincodeError } from '../values/errors';
import { parseJsonArgument, requireFields } from '../values/guards';
import { requireAssetId, requireUserId } from '../values/ids';

/** One item of a batch: the holding it names, and the PEM the transient map holds for it. */
export interface BatchItem extends HolderKey {
  readonly pem: string;
}

// Room for MAX_CERTIFICATE_BATCH items and more, so that a batch one too long is
// told BATCH_TOO_LARGE rather than "too long a text".
const MAX_ITEMS_TEXT = 4 * 100 * MAX_CERTIFICATE_BATCH;
const MAX_PEMS_TEXT = 4 * 16_384 * MAX_CERTIFICATE_BATCH;

/**
 * Reads a certificates:RecordBatch: `itemsText`, the argument, is a JSON list
 * of {assetId, holderId}; `pemsText`, from the transient map, a JSON list of
 * as many PEMs, in the same order. A batch that cannot be read as such fails
 * whole: INVALID_ARGUMENT for a malformed list, an empty one, an item
 * naming a holding twice (the transaction reads its state before writing
 * any, so a second item would not see the first), or PEMs that do not
 * match the items one to one; BATCH_TOO_LARGE past MAX_CERTIFICATE_BATCH.
 */
export function parseCertificateBatch(itemsText: unknown, pemsText: string): BatchItem[] {
  const items = requireList(parseJsonArgument(itemsText, 'items', MAX_ITEMS_TEXT), 'items');
  const pems = requireList(parseJsonArgument(pemsText, 'certificates', MAX_PEMS_TEXT), 'certificates');
  if (pems.length !== items.length) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `the transient certificates hold ${String(pems.length)} PEMs for ${String(items.length)} items: one each, in order`,
    );
  }
  const seen = new Set<string>();
  return items.map((entry, index) => {
    const name = `items[${String(index)}]`;
    const fields = requireFields(entry, name, ['assetId', 'holderId']);
    const ref = {
      assetId: requireAssetId(fields['assetId'], `${name}.assetId`),
      holderId: requireUserId(fields['holderId'], `${name}.holderId`),
    };
    const key = `${ref.assetId}/${ref.holderId}`;
    if (seen.has(key)) {
      throw new ChaincodeError('INVALID_ARGUMENT', `${name} names ${key} again: one item per holding`);
    }
    seen.add(key);
    const pem = pems[index];
    if (typeof pem !== 'string') {
      throw new ChaincodeError('INVALID_ARGUMENT', `certificates[${String(index)}] must be a PEM string`);
    }
    return { ...ref, pem };
  });
}

function requireList(value: unknown, name: string): readonly unknown[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be a non-empty JSON list`);
  }
  if (value.length > MAX_CERTIFICATE_BATCH) {
    throw new ChaincodeError(
      'BATCH_TOO_LARGE',
      `${name} holds ${String(value.length)} entries; one batch records at most ${String(MAX_CERTIFICATE_BATCH)}`,
    );
  }
  return value as readonly unknown[];
}
