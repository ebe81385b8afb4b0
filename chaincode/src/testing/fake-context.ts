import { compositeKey } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';

const EMPTY = new Uint8Array();
// Fabric ends a partial composite key range with the largest Unicode rune.
const MAX_RUNE = '\u{10FFFF}';

/** One putState, deleteState or putPrivateData call, in call order; collection '' is public state. */
export interface FakeWrite {
  readonly collection: string;
  readonly key: string;
  /** Empty for a delete. */
  readonly value: Uint8Array;
  readonly deleted?: true;
}

export interface FakeEvent {
  readonly name: string;
  readonly payload: Uint8Array;
}

interface FakeModification {
  readonly txId: string;
  readonly value: Uint8Array;
  readonly isDelete: boolean;
  readonly timestamp: { seconds: number; nanos: number };
}

interface FakeKv {
  readonly key: string;
  readonly value: Uint8Array;
}

interface FakeIterator<T> {
  next(): Promise<{ value: T; done: boolean }>;
  close(): Promise<void>;
}

/**
 * The slice of ChaincodeStub the contracts use, backed by maps. Unlike a
 * peer it applies writes at once (reads see this transaction's writes), so
 * contracts are written to read everything before their first write.
 */
export class FakeStub {
  readonly state = new Map<string, Uint8Array>();
  readonly privateData = new Map<string, Map<string, Uint8Array>>();
  /** Every write, public and private, for assertions about what reached the ledger. */
  readonly writes: FakeWrite[] = [];
  /** Every setEvent call; Fabric would keep only a transaction's last. */
  readonly events: FakeEvent[] = [];
  /** Committed versions per public key, oldest first (getHistoryForKey answers newest first). */
  readonly history = new Map<string, FakeModification[]>();
  /** Iterators handed out and not yet closed. */
  openIterators = 0;
  txId = 'tx0';
  transient = new Map<string, Uint8Array>();
  // Now, so the certificates made for the test are inside their validity.
  txSeconds = Math.floor(Date.now() / 1000);
  fcn = 'users:Unknown';
  /** Function name and arguments, for calls through fabric-shim's dispatcher. */
  args: string[] = [];
  creator = { mspid: 'RegistryMSP', idBytes: new Uint8Array() };

  createCompositeKey(objectType: string, attributes: string[]): string {
    return compositeKey(objectType, attributes);
  }

  /** fabric-shim's split: the object type and the attributes between the U+0000 separators. */
  splitCompositeKey(key: string): { objectType: string; attributes: string[] } {
    const [objectType = '', ...attributes] = key.slice(1, -1).split('\u0000');
    return { objectType, attributes };
  }

  getState(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.state.get(key) ?? EMPTY);
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    if (value.length === 0) {
      // The peer records a write without bytes as a delete.
      return this.deleteState(key);
    }
    this.state.set(key, value);
    this.writes.push({ collection: '', key, value });
    this.#remember(key, value, false);
    return Promise.resolve();
  }

  deleteState(key: string): Promise<void> {
    this.state.delete(key);
    this.writes.push({ collection: '', key, value: EMPTY, deleted: true });
    this.#remember(key, EMPTY, true);
    return Promise.resolve();
  }

  #remember(key: string, value: Uint8Array, isDelete: boolean): void {
    const versions = this.history.get(key) ?? [];
    versions.push({ txId: this.txId, value, isDelete, timestamp: { seconds: this.txSeconds, nanos: 0 } });
    this.history.set(key, versions);
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<FakeIterator<FakeKv>> {
    return Promise.resolve(this.#iterate(this.#range(objectType, attributes)));
  }

  /** Fabric's paging: the bookmark is the next key to read, '' once the range is exhausted. */
  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark = '',
  ): Promise<{
    iterator: FakeIterator<FakeKv>;
    metadata: { fetchedRecordsCount: number; bookmark: string };
  }> {
    const range = this.#range(objectType, attributes).filter((kv) => bookmark === '' || kv.key >= bookmark);
    const page = range.slice(0, pageSize);
    const next = range[pageSize]?.key ?? '';
    return Promise.resolve({
      iterator: this.#iterate(page),
      metadata: { fetchedRecordsCount: page.length, bookmark: next },
    });
  }

  /** Simple keys in [startKey, endKey), paged like the composite form. */
  getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark = '',
  ): Promise<{
    iterator: FakeIterator<FakeKv>;
    metadata: { fetchedRecordsCount: number; bookmark: string };
  }> {
    if (startKey.startsWith('\u0000') || endKey.startsWith('\u0000')) {
      return Promise.reject(new Error('range queries take simple keys only'));
    }
    const from = bookmark === '' ? startKey : bookmark;
    const range = [...this.state.entries()]
      .filter(([key]) => key >= from && key < endKey)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value }));
    const page = range.slice(0, pageSize);
    return Promise.resolve({
      iterator: this.#iterate(page),
      metadata: { fetchedRecordsCount: page.length, bookmark: range[pageSize]?.key ?? '' },
    });
  }

  getHistoryForKey(key: string): Promise<FakeIterator<FakeModification>> {
    return Promise.resolve(this.#iterate([...(this.history.get(key) ?? [])].reverse()));
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.events.push({ name, payload });
  }

  #range(objectType: string, attributes: string[]): FakeKv[] {
    const start = compositeKey(objectType, attributes);
    const end = start + MAX_RUNE;
    return [...this.state.entries()]
      .filter(([key]) => key >= start && key < end)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value }));
  }

  #iterate<T>(items: readonly T[]): FakeIterator<T> {
    let index = 0;
    this.openIterators += 1;
    let open = true;
    return {
      next: () => {
        const value = items[index];
        index += 1;
        return Promise.resolve(
          value === undefined ? { value: undefined as unknown as T, done: true } : { value, done: false },
        );
      },
      close: () => {
        if (open) {
          open = false;
          this.openIterators -= 1;
        }
        return Promise.resolve();
      },
    };
  }

  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    return Promise.resolve(this.privateData.get(collection)?.get(key) ?? EMPTY);
  }

  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    const entries = this.privateData.get(collection) ?? new Map<string, Uint8Array>();
    entries.set(key, value);
    this.privateData.set(collection, entries);
    this.writes.push({ collection, key, value });
    return Promise.resolve();
  }

  getTransient(): Map<string, Uint8Array> {
    return this.transient;
  }

  getTxTimestamp(): { seconds: { toNumber(): number }; nanos: number } {
    return { seconds: { toNumber: () => this.txSeconds }, nanos: 0 };
  }

  getFunctionAndParameters(): { fcn: string; params: string[] } {
    return { fcn: this.fcn, params: [] };
  }

  getArgs(): string[] {
    return this.args;
  }

  getBufferArgs(): Buffer[] {
    return this.args.map((arg) => Buffer.from(arg, 'utf8'));
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return this.creator;
  }

  getTxID(): string {
    return this.txId;
  }

  getChannelID(): string {
    return 'crowdledger';
  }
}

export interface FakeIdentityOptions {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** The slice of ClientIdentity the contracts use. */
export class FakeIdentity {
  readonly #options: FakeIdentityOptions;

  constructor(options: FakeIdentityOptions) {
    this.#options = options;
  }

  getMSPID(): string {
    return this.#options.mspId;
  }

  getIDBytes(): Uint8Array {
    return Buffer.from(this.#options.certificatePem, 'utf8');
  }

  getAttributeValue(name: string): string | null {
    return this.#options.attributes?.[name] ?? null;
  }
}

export interface FakeContext {
  readonly ctx: Context;
  readonly stub: FakeStub;
}

export function fakeContext(identity: FakeIdentityOptions, stub = new FakeStub()): FakeContext {
  // The contracts touch only the methods above; the cast keeps the fakes small.
  const ctx = { stub, clientIdentity: new FakeIdentity(identity) } as unknown as Context;
  return { ctx, stub };
}
