import { type EventNameValue } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

/** Fabric keeps only the last event a transaction sets: each transaction emits exactly one (protocol EventName). */
export function emitEvent(stub: Stub, name: EventNameValue, payload: Uint8Array): void {
  stub.setEvent(name, payload);
}
