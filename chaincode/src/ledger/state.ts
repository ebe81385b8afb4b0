import type { Context } from 'fabric-contract-api';
import type { Codec } from '../values/codec';
import { ChaincodeError } from '../values/errors';

type Stub = Context['stub'];

// Fabric answers a missing key with an empty value rather than an error.
function present(bytes: Uint8Array | undefined): bytes is Uint8Array {
  return bytes !== undefined && bytes.length > 0;
}

export async function getRecord<T>(stub: Stub, key: string, codec: Codec<T>): Promise<T | undefined> {
  const bytes = await stub.getState(key);
  return present(bytes) ? codec.fromBytes(bytes, key) : undefined;
}

export async function putRecord<T>(stub: Stub, key: string, value: T, codec: Codec<T>): Promise<void> {
  await stub.putState(key, codec.toBytes(value));
}

/** Fabric records a delete in the key's history; the value is gone from state. */
export async function deleteRecord(stub: Stub, key: string): Promise<void> {
  await stub.deleteState(key);
}

export async function getPrivateRecord<T>(
  stub: Stub,
  collection: string,
  key: string,
  codec: Codec<T>,
): Promise<T | undefined> {
  const bytes = await stub.getPrivateData(collection, key);
  return present(bytes) ? codec.fromBytes(bytes, key) : undefined;
}

export async function putPrivateRecord<T>(
  stub: Stub,
  collection: string,
  key: string,
  value: T,
  codec: Codec<T>,
): Promise<void> {
  await stub.putPrivateData(collection, key, codec.toBytes(value));
}

/** A transient field's raw bytes, for callers that decode strictly; absent or empty fails. */
export function requireTransientBytes(stub: Stub, field: string): Uint8Array {
  const bytes = stub.getTransient().get(field);
  if (!present(bytes)) {
    throw new ChaincodeError('TRANSIENT_MISSING', `transient field ${field} is required`);
  }
  return bytes;
}

/** The proposal's timestamp: the same on every endorser, unlike the clock. */
export function txTime(stub: Stub): Date {
  const { seconds, nanos } = stub.getTxTimestamp();
  return new Date(seconds.toNumber() * 1000 + Math.floor(nanos / 1_000_000));
}
