import { createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyText } from '@crowdledger/protocol';
import type { ConsentOptions, ConsentSigner } from '../consent';
import { CrowdLedgerError } from '../errors';
import type { ContractInvoker } from '../invoker';
import { decoders, type TransactionKey } from '../model';
import type { GroupContext } from './context';
import { submitSigned } from './trading';

/**
 * Users' transaction keys (R7): the public half of a key pair the user
 * holds (a phone app, a USB key, a key file), registered by their platform
 * and checked by every act that moves their units.
 */
export interface KeysApi {
  /**
   * Registers a user's public key, or replaces it (a lost device): requests
   * signed by the old key are refused from the block that commits this one
   * (CONSENT_KEY_RETIRED). `proof` signs the registration with the new key's
   * private half — proof that the user holds it (KEY_PROOF_INVALID
   * otherwise); it is usually the user's device. `publicKey` is a P-256 key:
   * a KeyObject, PEM, or DER SubjectPublicKeyInfo in base64url. Only the
   * user's own platform may (FORBIDDEN otherwise).
   */
  register(
    userId: string,
    publicKey: KeyObject | string,
    proof: ConsentSigner,
    options?: Omit<ConsentOptions, 'signer'>,
  ): Promise<TransactionKey>;
  /** The user's current public key; KEY_NOT_SET when none is registered. Any reader may. */
  get(userId: string): Promise<TransactionKey>;
}

/** The key's text form (DER SubjectPublicKeyInfo, base64url) from any of the forms register takes. */
export function publicKeyArgument(publicKey: KeyObject | string): string {
  if (typeof publicKey === 'string' && !publicKey.includes('-----BEGIN')) {
    return publicKey;
  }
  try {
    const key =
      typeof publicKey !== 'string' && publicKey.type === 'public' ? publicKey : createPublicKey(publicKey);
    return publicKeyText(key);
  } catch (cause) {
    throw new CrowdLedgerError('KEY_INVALID', 'publicKey is not a public key the SDK can read', { cause });
  }
}

/** The {@link KeysApi} over the `keys` contract. */
export class KeysClient implements KeysApi {
  readonly #keys: ContractInvoker<'keys'>;
  readonly #context: GroupContext;

  constructor(context: GroupContext) {
    this.#context = context;
    this.#keys = context.contract('keys');
  }

  async register(
    userId: string,
    publicKey: KeyObject | string,
    proof: ConsentSigner,
    options: Omit<ConsentOptions, 'signer'> = {},
  ): Promise<TransactionKey> {
    const params = { publicKey: publicKeyArgument(publicKey), algorithm: 'ES256' };
    const call = { action: 'keys:Register', userId, params, options: { ...options, signer: proof } } as const;
    return submitSigned(this.#keys, decoders.transactionKey, call, this.#context.consent);
  }

  get(userId: string): Promise<TransactionKey> {
    return this.#keys.evaluate('Get', decoders.transactionKey, [userId]);
  }
}
