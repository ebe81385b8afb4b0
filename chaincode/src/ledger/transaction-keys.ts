import { KeyPrefix } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { type TransactionKey, transactionKeyCodec } from '../model/transaction-key';
import { putIndexEntry } from './index-entries';
import { scanPartial } from './query';
import { stateKey } from './state-keys';
import { getRecord, putRecord } from './state';

type Stub = Context['stub'];

/**
 * Transaction keys are public state: a public key is no secret, and anyone
 * re-checking the consents in the blocks needs them. Every consent reads the
 * user's current key, so a registration that replaces it conflicts (MVCC)
 * with any consent endorsed against the old key.
 */
export async function getTransactionKey(stub: Stub, userId: string): Promise<TransactionKey | undefined> {
  return getRecord(stub, stateKey(stub, KeyPrefix.transactionKey, userId), transactionKeyCodec);
}

export async function putTransactionKey(stub: Stub, key: TransactionKey): Promise<void> {
  await putRecord(stub, stateKey(stub, KeyPrefix.transactionKey, key.userId), key, transactionKeyCodec);
}

/** Keeps a replaced key, so a request it signed is refused as signed by a retired key. */
export async function putRetiredKey(stub: Stub, key: TransactionKey): Promise<void> {
  const retired = stateKey(stub, KeyPrefix.retiredTransactionKey, key.userId, key.keyId);
  await putRecord(stub, retired, key, transactionKeyCodec);
}

/** Every key the user had before their current one, in key ID order; read only to explain a refusal. */
export async function retiredKeysOf(stub: Stub, userId: string): Promise<TransactionKey[]> {
  return scanPartial(stub, KeyPrefix.retiredTransactionKey, [userId], transactionKeyCodec);
}

function consentKey(stub: Stub, userId: string, requestId: string): string {
  return stateKey(stub, KeyPrefix.consent, userId, requestId);
}

/** Whether the user's request ID has run before. */
export async function hasConsentRecord(stub: Stub, userId: string, requestId: string): Promise<boolean> {
  const bytes = await stub.getState(consentKey(stub, userId, requestId));
  return bytes.length > 0;
}

/**
 * Records that the request ran: one key per user and request, written by
 * the transaction itself, so two transactions carrying the same request
 * conflict and only the first commits. No counter is shared.
 */
export async function putConsentRecord(stub: Stub, userId: string, requestId: string): Promise<void> {
  await putIndexEntry(stub, consentKey(stub, userId, requestId));
}
