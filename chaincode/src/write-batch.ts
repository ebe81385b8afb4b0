/*
 * A transaction's writes, sent to the peer in one message at its end.
 *
 * fabric-shim 2.5.8 sends every putState and deleteState as a message of its
 * own and waits for the peer's answer: a buy's 13 writes were 13 round trips
 * on each endorser. Fabric 3.1 peers take a transaction's writes in one
 * WRITE_BATCH_STATE message (the Go shim's StartWriteBatch); the Node shim
 * has no such call, so the front door collects the writes and sends them
 * itself once the contract has succeeded.
 *
 * Nothing a contract sees changes: a peer answers reads from the committed
 * state, never from the transaction's own writes, so deferring a write
 * changes no read. The peer applies the records in the order they were made,
 * each as its own putState or deleteState would have been applied, so the
 * write set is the same. A failed contract sends nothing, as it wrote nothing
 * that could commit before. Validation parameters and purges are not
 * collected (the contracts make neither); they would go to the peer at once.
 */
import { createRequire } from 'node:module';
import type { ChaincodeStub } from 'fabric-shim';

/** The slice of google-protobuf's BinaryWriter used here. */
interface BinaryWriter {
  writeString(field: number, value: string): void;
  writeBytes(field: number, value: Uint8Array): void;
  writeEnum(field: number, value: number): void;
  writeMessage<T>(field: number, value: T, write: (value: T, writer: BinaryWriter) => void): void;
  getResultBuffer(): Uint8Array;
}

interface ShimMessage {
  setType(type: number): void;
  setPayload(payload: Uint8Array): void;
  setTxid(txId: string): void;
  setChannelId(channelId: string): void;
}

// fabric-shim's own protobuf modules. Its protos (fabric-protos 0.2) predate
// write batches, and a newer copy loaded beside them shares and breaks their
// global namespace, so the batch is written field by field, the types by
// number (fabric-protos 0.3: peer/chaincode_shim.proto).
const fromShim = createRequire(createRequire(__filename).resolve('fabric-shim'));
const shimProtos = fromShim('@hyperledger/fabric-protos') as {
  peer: { ChaincodeMessage: new () => ShimMessage };
};
const protobuf = fromShim('google-protobuf') as { BinaryWriter: new () => BinaryWriter };

/** ChaincodeMessage.Type.WRITE_BATCH_STATE. */
const WRITE_BATCH_STATE = 24;
/** WriteRecord.Type: PUT_STATE, DEL_STATE. */
const PUT_STATE = 9;
const DEL_STATE = 10;
/** WriteBatchState.rec; WriteRecord's key, value, collection and type. */
const Field = { rec: 1, key: 1, value: 2, collection: 3, type: 5 } as const;

/** One deferred write; no value is a delete. */
export interface Write {
  readonly collection: string;
  readonly key: string;
  readonly value?: Uint8Array;
}

/** fabric-shim 2.5.8's connection to the peer, as its stub holds it. */
interface PeerHandler {
  _askPeerAndListen(message: object, method: string): Promise<unknown>;
}

interface StubInternals {
  readonly handler?: Partial<PeerHandler>;
  readonly channel_id: string;
  readonly txId: string;
}

function writeRecord(write: Write, writer: BinaryWriter): void {
  writer.writeString(Field.key, write.key);
  if (write.value !== undefined) writer.writeBytes(Field.value, write.value);
  if (write.collection !== '') writer.writeString(Field.collection, write.collection);
  writer.writeEnum(Field.type, write.value === undefined ? DEL_STATE : PUT_STATE);
}

/** A WriteBatchState of the writes, in their order. */
export function batchPayload(writes: readonly Write[]): Uint8Array {
  const writer = new protobuf.BinaryWriter();
  for (const write of writes) {
    writer.writeMessage(Field.rec, write, writeRecord);
  }
  return writer.getResultBuffer();
}

/** The chaincode message that carries a batch; the peer answers it as it answers a putState. */
export function batchMessage(writes: readonly Write[], channelId: string, txId: string): ShimMessage {
  const message = new shimProtos.peer.ChaincodeMessage();
  message.setType(WRITE_BATCH_STATE);
  message.setPayload(batchPayload(writes));
  message.setTxid(txId);
  message.setChannelId(channelId);
  return message;
}

function requireName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${what} must be a valid string`);
  }
  return value;
}

function bytesOf(value: unknown): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value);
  if (value instanceof Uint8Array) return value;
  throw new Error('value must be bytes or a string');
}

/**
 * Makes the stub collect its writes (putState, deleteState, putPrivateData,
 * deletePrivateData) instead of sending each. undefined for a stub that is
 * not connected to a peer (the unit tests' stub), which keeps writing as it
 * did.
 */
export function collectWrites(stub: ChaincodeStub): WriteBatch | undefined {
  const internals = stub as unknown as StubInternals;
  const handler = internals.handler;
  if (typeof handler?._askPeerAndListen !== 'function') return undefined;
  const ask = handler._askPeerAndListen.bind(handler);
  const batch = new WriteBatch((writes) =>
    ask(batchMessage(writes, internals.channel_id, internals.txId), 'WriteBatchState'),
  );
  // A write of no bytes is a delete to the peer, as fabric-shim's putState would send it.
  const put = (collection: string, key: string, value: unknown): Promise<void> => {
    const bytes = bytesOf(value);
    return batch.add({ collection, key, ...(bytes.length === 0 ? {} : { value: bytes }) });
  };
  Object.assign(stub, {
    putState: (key: unknown, value: unknown) => put('', requireName(key, 'key'), value),
    deleteState: (key: unknown) => batch.add({ collection: '', key: requireName(key, 'key') }),
    putPrivateData: (collection: unknown, key: unknown, value: unknown) => {
      if (value === undefined || value === null || value === '') throw new Error('value must be valid');
      return put(requireName(collection, 'collection'), requireName(key, 'key'), value);
    },
    deletePrivateData: (collection: unknown, key: unknown) =>
      batch.add({ collection: requireName(collection, 'collection'), key: requireName(key, 'key') }),
  });
  return batch;
}

/** Writes kept in the order they were made, sent together by flush. */
export class WriteBatch {
  readonly #writes: Write[] = [];
  readonly #send: (writes: readonly Write[]) => Promise<unknown>;

  constructor(send: (writes: readonly Write[]) => Promise<unknown>) {
    this.#send = send;
  }

  get size(): number {
    return this.#writes.length;
  }

  add(write: Write): Promise<void> {
    this.#writes.push(write);
    return Promise.resolve();
  }

  /** Sends every write in one message; nothing when there are none. Rejects with the peer's refusal. */
  async flush(): Promise<void> {
    if (this.#writes.length > 0) {
      await this.#send(this.#writes.splice(0));
    }
  }
}
