import { Transient } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { requireTransientBytes } from '../ledger/state';
import { getTransactionKey, putTransactionKey } from '../ledger/transaction-keys';
import type { Refusal } from '../model/outcome';
import type { User } from '../model/user';
import {
  checkTransactionKey,
  keyNotSet,
  keyRefusedEvent,
  requireKeyUsable,
  requireTransactionKey,
} from '../rules/transaction-keys';

/** The key from the transient map; missing fails TRANSIENT_MISSING, malformed INVALID_ARGUMENT. */
export function readTransactionKey(ctx: Context): string {
  return requireTransactionKey(requireTransientBytes(ctx.stub, Transient.transactionKey));
}

/**
 * R7's gate, run by every transaction that moves or escrows a user's units,
 * after all its reads and checks and before its first write. A wrong or
 * locked key returns a refusal: the caller returns it as the committed
 * result, so the count written here is kept, and writes nothing else. The
 * one event is then TransactionKeyRefused. Undefined means the key matched.
 */
export async function passKeyGate(ctx: Context, user: User, key: string): Promise<Refusal | undefined> {
  const record = await getTransactionKey(ctx.stub, user.platform, user.userId);
  if (record === undefined) {
    throw keyNotSet(user.userId);
  }
  const verdict = await checkTransactionKey(record, key);
  if (verdict.changed) {
    await putTransactionKey(ctx.stub, user.platform, verdict.record);
  }
  if (verdict.refusal !== undefined) {
    emitEvent(ctx.stub, EventName.transactionKeyRefused, keyRefusedEvent(verdict.record));
  }
  return verdict.refusal;
}

/** For the pre-trade checks: a key is set and not locked. The key itself is never looked at. */
export async function requireKeyUsableFor(ctx: Context, user: User): Promise<void> {
  requireKeyUsable(await getTransactionKey(ctx.stub, user.platform, user.userId), user.userId);
}
