import { Transient } from '@crowdledger/protocol';
import { randomBytes } from 'node:crypto';
import type { ContractInvoker } from '../invoker';
import { decoders, type KeyStatus } from '../model';
import type { GroupContext } from './context';

/** Users' transaction keys (R7), set by their platform and checked by every act that moves their units. */
export interface KeysApi {
  /**
   * Sets or replaces a user's transaction key (4 to 128 characters),
   * clearing failures and any lock. The key and a fresh random blind go only
   * in the transient map; the ledger keeps a salted hash in the platform's
   * private collection, and the TransactionKeySet event names only the user.
   * Only the user's own platform may set it (FORBIDDEN otherwise).
   */
  set(userId: string, key: string): Promise<KeyStatus>;
  /** Failures and lock of a user's key; KEY_NOT_SET when none was set. The user's platform or the registry. */
  status(userId: string): Promise<KeyStatus>;
}

/** 32 random bytes as lower-case hex: the blind keys:Set wants (16 to 64 bytes). */
export function newBlind(): string {
  return randomBytes(32).toString('hex');
}

/** The {@link KeysApi} over the `keys` contract. */
export class KeysClient implements KeysApi {
  readonly #keys: ContractInvoker<'keys'>;

  constructor(context: GroupContext) {
    this.#keys = context.contract('keys');
  }

  set(userId: string, key: string): Promise<KeyStatus> {
    return this.#keys.submit('Set', decoders.keyStatus, {
      arguments: [userId],
      transientData: { [Transient.transactionKey]: key, [Transient.blind]: newBlind() },
    });
  }

  status(userId: string): Promise<KeyStatus> {
    return this.#keys.evaluate('Status', decoders.keyStatus, [userId]);
  }
}
