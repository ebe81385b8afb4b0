import { Transient } from '@crowdledger/protocol';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { canonicalBytes } from '@crowdledger/protocol';
import { requireTransientBytes, txTime } from '../ledger/state';
import { getTransactionKey, putTransactionKey } from '../ledger/transaction-keys';
import { KeyStatus } from '../model/key-status';
import type { TransactionKeyRecord } from '../model/transaction-key';
import { requireUtf8 } from '../values/guards';
import { requireUserId } from '../values/ids';
import { requireOwnPlatform, requireOwnPlatformOrAdmin, requirePublicReader } from '../rules/identity';
import { requireSalt } from '../values/personal-data';
import { keyNotSet, newKeyRecord } from '../rules/transaction-keys';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';
import { readTransactionKey } from '../steps/key-gate';
import { requireUser } from '../ledger/users';

/** Users' transaction keys (R7): set by their platform, checked by every act that moves their units. */
@Info({ title: 'keys', description: 'Transaction keys: set, reset and status' })
export class KeysContract extends CrowdLedgerContract {
  constructor() {
    super('keys');
  }

  /**
   * Sets or replaces the user's key, clearing failures and any lock. The key
   * and blind come in the transient map; the event says only who and when.
   */
  @Transaction()
  @Returns('KeyStatus')
  async Set(ctx: Context, userId: string): Promise<KeyStatus> {
    const caller = await currentCaller(ctx);
    const user = await requireUser(ctx, requireUserId(userId));
    requireOwnPlatform(caller, user.platform, `set the transaction key of ${user.userId}`);
    const key = readTransactionKey(ctx);
    const blind = requireSalt(
      requireUtf8(requireTransientBytes(ctx.stub, Transient.blind), 'blind'),
      'blind',
    );
    const at = txTime(ctx.stub);
    const record = await newKeyRecord({ userId: user.userId, key, blind, txId: ctx.stub.getTxID(), at });
    await putTransactionKey(ctx.stub, user.platform, record);
    emitEvent(
      ctx.stub,
      EventName.transactionKeySet,
      canonicalBytes({ userId: user.userId, setAt: record.setAt }),
    );
    return statusOf(record);
  }

  /** Failures and lock, for the user's platform or the registry admin; read from the platform's collection. */
  @Transaction(false)
  @Returns('KeyStatus')
  async Status(ctx: Context, userId: string): Promise<KeyStatus> {
    const caller = await currentCaller(ctx);
    requirePublicReader(caller);
    const user = await requireUser(ctx, requireUserId(userId));
    requireOwnPlatformOrAdmin(caller, user.platform, `read the transaction key status of ${user.userId}`);
    const record = await getTransactionKey(ctx.stub, user.platform, user.userId);
    if (record === undefined) {
      throw keyNotSet(user.userId);
    }
    return statusOf(record);
  }
}

function statusOf(record: TransactionKeyRecord): KeyStatus {
  return new KeyStatus({
    userId: record.userId,
    failures: record.failures,
    locked: record.locked,
    setAt: record.setAt,
  });
}
