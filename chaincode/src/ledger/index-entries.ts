import { INDEX_ENTRY_VALUE } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

const MARKER = Buffer.from(INDEX_ENTRY_VALUE, 'utf8');

/**
 * Writes an index entry: the key names what it points at, the value is the
 * one-byte marker. Fabric writes an empty value as a delete, so the value
 * cannot be empty; it never repeats an ID the key already holds.
 */
export async function putIndexEntry(stub: Stub, key: string): Promise<void> {
  await stub.putState(key, Buffer.from(MARKER));
}

/** Whether stored bytes are the index-entry marker. */
export function isIndexEntry(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).equals(MARKER);
}
