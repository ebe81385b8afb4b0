import { EventName } from '@crowdledger/protocol';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { emitEvent } from '../ledger/events';
import { txTime } from '../ledger/state';
import { getTransactionKey, putRetiredKey, putTransactionKey } from '../ledger/transaction-keys';
import { requireUser } from '../ledger/users';
import type { TransactionKey } from '../model/transaction-key';
import { readSignedRequest, requireFresh } from '../rules/consent';
import { requireOwnPlatform, requirePlatform, requirePublicReader } from '../rules/identity';
import {
  keyRegisteredEvent,
  newTransactionKey,
  requireProofOfPossession,
  requireRegistrationKey,
} from '../rules/transaction-keys';
import { currentCaller } from '../steps/caller';
import { recordConsent, requireKey, requireUnused } from '../steps/consent';
import { requireUserId } from '../values/ids';
import { CrowdLedgerContract } from './base';

/**
 * Users' transaction keys (R7): the public half of a key pair the user
 * holds, registered by their platform with proof of possession, and checked
 * by every act that moves the user's units.
 */
@Info({ title: 'keys', description: "Transaction keys: register a user's public key, read it" })
export class KeysContract extends CrowdLedgerContract {
  constructor() {
    super('keys');
  }

  /**
   * request: the canonical keys:Register request {publicKey, algorithm}
   * for the user, signed (signature: ES256 r‖s, base64url) by the key it
   * registers. By the user's platform. A user's first key, or a new one
   * after a lost device: the old key is refused from this block on.
   */
  @Transaction()
  @Returns('TransactionKey')
  async Register(ctx: Context, request: string, signature: string): Promise<TransactionKey> {
    const caller = await currentCaller(ctx);
    requirePlatform(caller);
    const signed = readSignedRequest(request, signature, 'keys:Register');
    const user = await requireUser(ctx, signed.request.userId);
    requireOwnPlatform(caller, user.platform, `register the transaction key of ${user.userId}`);
    const at = txTime(ctx.stub);
    requireFresh(signed.request, at);
    const key = newTransactionKey(user.userId, requireRegistrationKey(signed.request), at);
    requireProofOfPossession(signed, key);
    await requireUnused(ctx, signed.request);
    const previous = await getTransactionKey(ctx.stub, user.userId);
    const replaced = previous?.keyId === key.keyId ? undefined : previous;
    await recordConsent(ctx, signed);
    if (replaced !== undefined) {
      await putRetiredKey(ctx.stub, replaced);
    }
    await putTransactionKey(ctx.stub, key);
    emitEvent(ctx.stub, EventName.transactionKeyRegistered, keyRegisteredEvent(key, replaced));
    return key;
  }

  /** The user's current public key; KEY_NOT_SET when none is registered. Public, as a public key is. */
  @Transaction(false)
  @Returns('TransactionKey')
  async Get(ctx: Context, userId: string): Promise<TransactionKey> {
    requirePublicReader(await currentCaller(ctx));
    const user = await requireUser(ctx, requireUserId(userId));
    return requireKey(ctx, user.userId);
  }
}
