import type { Context } from 'fabric-contract-api';
import { type TransactionKeyRecord, transactionKeyCodec } from '../model/transaction-key';
import { KeyPrefix } from '@crowdledger/protocol';
import { stateKey } from './state-keys';
import { getPrivateRecord, putPrivateRecord } from './state';
import { personalCollection } from './users';

type Stub = Context['stub'];

/**
 * Transaction keys live beside personal data, in the user's platform
 * collection (members: that platform and the registry), never in public state.
 */
export async function getTransactionKey(
  stub: Stub,
  platform: string,
  userId: string,
): Promise<TransactionKeyRecord | undefined> {
  const key = stateKey(stub, KeyPrefix.transactionKey, userId);
  return getPrivateRecord(stub, personalCollection(platform), key, transactionKeyCodec);
}

export async function putTransactionKey(
  stub: Stub,
  platform: string,
  record: TransactionKeyRecord,
): Promise<void> {
  const key = stateKey(stub, KeyPrefix.transactionKey, record.userId);
  await putPrivateRecord(stub, personalCollection(platform), key, record, transactionKeyCodec);
}
