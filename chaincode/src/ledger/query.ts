import { idOfTimeKey, type KeyPrefixName, type KeyRange } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { isIndexEntry } from './index-entries';
import type { Codec } from '../values/codec';
import type { PageRequest } from '../values/paging';

type Stub = Context['stub'];

interface Iterator<T> {
  next(): Promise<{ value: T; done?: boolean }>;
  close(): Promise<void>;
}

interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
}

interface Modification {
  readonly txId: string;
  readonly value: Uint8Array;
  readonly isDelete: boolean;
  readonly timestamp: { readonly seconds: unknown; readonly nanos: number };
}

/** Reads an iterator to the end and always closes it: an open one holds peer resources. */
async function drain<T, R>(iterator: Iterator<T>, map: (item: T) => R): Promise<R[]> {
  const results: R[] = [];
  try {
    for (let item = await iterator.next(); item.done !== true; item = await iterator.next()) {
      results.push(map(item.value));
    }
  } finally {
    await iterator.close();
  }
  return results;
}

type Read<T> = (kv: KeyValue) => T;

const recordOf =
  <T>(codec: Codec<T>): Read<T> =>
  (kv) =>
    codec.fromBytes(kv.value, kv.key);

/** The ID an index entry points at: its key's last attribute. Its value is only the marker. */
const idOf =
  (stub: Stub): Read<string> =>
  (kv) => {
    const id = stub.splitCompositeKey(kv.key).attributes.at(-1);
    if (id === undefined || id === '' || !isIndexEntry(kv.value)) {
      throw new ChaincodeError('CORRUPT_STATE', `index entry ${kv.key} is not an index entry`);
    }
    return id;
  };

/** Every attribute of an index entry's key, for entries that point at a record by two IDs. */
const attributesOf =
  (stub: Stub): Read<string[]> =>
  (kv) => {
    const { attributes } = stub.splitCompositeKey(kv.key);
    if (attributes.some((part) => part === '') || !isIndexEntry(kv.value)) {
      throw new ChaincodeError('CORRUPT_STATE', `index entry ${kv.key} is not an index entry`);
    }
    return attributes;
  };

async function scan<T>(stub: Stub, prefix: KeyPrefixName, attributes: string[], read: Read<T>): Promise<T[]> {
  const iterator = await stub.getStateByPartialCompositeKey(prefix, attributes);
  return drain(iterator, read);
}

/** Every record under a partial composite key, in key order. */
export async function scanPartial<T>(
  stub: Stub,
  prefix: KeyPrefixName,
  attributes: string[],
  codec: Codec<T>,
): Promise<T[]> {
  return scan(stub, prefix, attributes, recordOf(codec));
}

/** Whether any key lies under a partial composite key; reads one at most. */
export async function anyUnder(stub: Stub, prefix: KeyPrefixName, attributes: string[]): Promise<boolean> {
  const iterator = await stub.getStateByPartialCompositeKey(prefix, attributes);
  try {
    // fabric-shim types `done` as a boolean; the peer leaves it out on a result that has a value.
    const first: { readonly done?: boolean } = await iterator.next();
    return first.done !== true;
  } finally {
    await iterator.close();
  }
}

/** The IDs the index entries under a partial composite key point at, in key order. */
export async function scanIndex(stub: Stub, prefix: KeyPrefixName, attributes: string[]): Promise<string[]> {
  return scan(stub, prefix, attributes, idOf(stub));
}

export interface PageResult<T> {
  readonly records: T[];
  readonly bookmark: string;
  readonly fetched: number;
}

/**
 * One page under a partial composite key. Fabric starts a paged scan at the
 * bookmark without checking it lies in the range, so a bookmark from another
 * prefix would read other record types: it is refused instead. Paged queries
 * are allowed only in evaluate (read-only) transactions.
 */
async function page<T>(
  stub: Stub,
  prefix: KeyPrefixName,
  attributes: string[],
  request: PageRequest,
  read: Read<T>,
): Promise<PageResult<T>> {
  const start = stub.createCompositeKey(prefix, attributes);
  if (request.bookmark !== '' && !request.bookmark.startsWith(start)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'bookmark does not belong to this query');
  }
  const { iterator, metadata } = await stub.getStateByPartialCompositeKeyWithPagination(
    prefix,
    attributes,
    request.pageSize,
    request.bookmark,
  );
  const records = await drain(iterator, read);
  // The peer sends no metadata at all when nothing matches: an empty last page.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- fabric-shim's type says always present; it is not
  return { records, bookmark: metadata?.bookmark ?? '', fetched: metadata?.fetchedRecordsCount ?? 0 };
}

/** One page of records under a partial composite key. */
export async function pagePartial<T>(
  stub: Stub,
  prefix: KeyPrefixName,
  attributes: string[],
  request: PageRequest,
  codec: Codec<T>,
): Promise<PageResult<T>> {
  return page(stub, prefix, attributes, request, recordOf(codec));
}

/** One page of the IDs the index entries under a partial composite key point at. */
export async function pageIndex(
  stub: Stub,
  prefix: KeyPrefixName,
  attributes: string[],
  request: PageRequest,
): Promise<PageResult<string>> {
  return page(stub, prefix, attributes, request, idOf(stub));
}

/** One page of index entries under a partial composite key: each entry's key attributes, in key order. */
export async function pageIndexKeys(
  stub: Stub,
  prefix: KeyPrefixName,
  attributes: string[],
  request: PageRequest,
): Promise<PageResult<string[]>> {
  return page(stub, prefix, attributes, request, attributesOf(stub));
}

/**
 * One page of a time index in [start, end), in key order: the IDs its
 * entries point at. As with a composite-key page, a bookmark outside the
 * range is refused: the peer would start there and read whatever lies
 * between it and the end.
 */
export async function pageTimeIndex(
  stub: Stub,
  range: KeyRange,
  request: PageRequest,
): Promise<PageResult<string>> {
  const { bookmark } = request;
  if (bookmark !== '' && (bookmark < range.start || bookmark >= range.end)) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'bookmark does not belong to this query');
  }
  const { iterator, metadata } = await stub.getStateByRangeWithPagination(
    range.start,
    range.end,
    request.pageSize,
    bookmark,
  );
  const records = await drain(iterator, (kv: KeyValue) => timeIndexId(kv));
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent when nothing matches, as in page
  return { records, bookmark: metadata?.bookmark ?? '', fetched: metadata?.fetchedRecordsCount ?? 0 };
}

function timeIndexId(kv: KeyValue): string {
  const id = idOfTimeKey(kv.key);
  if (id === undefined || !isIndexEntry(kv.value)) {
    throw new ChaincodeError('CORRUPT_STATE', `time index entry ${kv.key} is not an index entry`);
  }
  return id;
}

export interface Modified<T> {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly value: T | null;
}

function modified<T>(entry: Modification, key: string, codec: Codec<T>): Modified<T> {
  return {
    txId: entry.txId,
    timestamp: instant(entry.timestamp.seconds, entry.timestamp.nanos),
    isDelete: entry.isDelete,
    value: entry.isDelete ? null : codec.fromBytes(entry.value, key),
  };
}

/**
 * One page of a key's committed writes, newest first (Fabric v2+ order).
 * The peer's history query has no paging of its own, so the bookmark is the
 * transaction ID of the page's last entry (a key is written at most once per
 * transaction): the next page starts after it. Only the page is decoded and
 * returned; the iterator is closed as soon as the page is full.
 */
export async function historyPage<T>(
  stub: Stub,
  key: string,
  codec: Codec<T>,
  request: PageRequest,
): Promise<PageResult<Modified<T>>> {
  const iterator = await stub.getHistoryForKey(key);
  try {
    const { entries, more } = await readHistoryPage(iterator, request);
    const records = entries.map((entry) => modified(entry, key, codec));
    return { records, bookmark: more ? (records.at(-1)?.txId ?? '') : '', fetched: records.length };
  } finally {
    await iterator.close();
  }
}

/** The entries after the bookmark, up to the page size, and whether more follow. */
async function readHistoryPage(
  iterator: Iterator<Modification>,
  request: PageRequest,
): Promise<{ entries: Modification[]; more: boolean }> {
  const entries: Modification[] = [];
  let found = request.bookmark === '';
  for (let item = await iterator.next(); item.done !== true; item = await iterator.next()) {
    if (entries.length === request.pageSize) {
      return { entries, more: true };
    }
    if (found) {
      entries.push(item.value);
    } else {
      found = item.value.txId === request.bookmark;
    }
  }
  if (!found) {
    throw new ChaincodeError('INVALID_ARGUMENT', 'bookmark does not belong to this query');
  }
  return { entries, more: false };
}

// fabric-shim declares seconds a Long but hands over protobuf's toObject()
// form, a number; both are accepted.
function instant(seconds: unknown, nanos: number): string {
  const whole = typeof seconds === 'number' ? seconds : longToNumber(seconds);
  if (!Number.isFinite(whole)) {
    throw new ChaincodeError('CORRUPT_STATE', 'a history entry has no usable timestamp');
  }
  return new Date(whole * 1000 + Math.floor(nanos / 1_000_000)).toISOString();
}

function longToNumber(value: unknown): number {
  const long = value as { toNumber?: () => number } | null | undefined;
  return long?.toNumber?.() ?? Number.NaN;
}
