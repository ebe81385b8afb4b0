import type { KeyPrefixName } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';

type Stub = Context['stub'];

/** A composite state key under one of the protocol's object types (protocol KeyPrefix). */
export function stateKey(stub: Stub, prefix: KeyPrefixName, ...parts: string[]): string {
  return stub.createCompositeKey(prefix, parts);
}
