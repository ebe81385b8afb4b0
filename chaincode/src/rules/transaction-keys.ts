import {
  CONSENT_ALGORITHMS,
  type ConsentRequest,
  canonicalBytes,
  keyIdOf,
  readPublicKey,
} from '@crowdledger/protocol';
import { TransactionKey } from '../model/transaction-key';
import { ChaincodeError } from '../values/errors';
import { isSignedBy, type SignedRequest } from './consent';

/**
 * Registering a user's transaction key (R7): the user's platform sends the
 * public key in a request signed by its private half, proof that the user
 * holds it. A later registration replaces the key; the old one is refused
 * from the block that commits the new one, because every consent reads the
 * key record and an endorsement made against the old one fails validation.
 */

/** The public key a registration request carries, checked: P-256, canonical SPKI, ES256. */
export function requireRegistrationKey(request: ConsentRequest<'keys:Register'>): string {
  const { publicKey, algorithm } = request.params;
  if (!CONSENT_ALGORITHMS.some((known) => known === algorithm)) {
    throw new ChaincodeError('KEY_INVALID', `algorithm must be one of ${CONSENT_ALGORITHMS.join(', ')}`);
  }
  if (readPublicKey(publicKey) === undefined) {
    throw new ChaincodeError(
      'KEY_INVALID',
      'publicKey must be an uncompressed P-256 public key as DER SubjectPublicKeyInfo in base64url',
    );
  }
  return publicKey;
}

/** Proof of possession: the registration is signed by the key it registers. */
export function requireProofOfPossession(signed: SignedRequest<'keys:Register'>, key: TransactionKey): void {
  if (!isSignedBy(signed, key)) {
    throw new ChaincodeError(
      'KEY_PROOF_INVALID',
      `the registration of key ${key.keyId} for ${key.userId} is not signed by that key; sign the request with the new key's private half`,
    );
  }
}

export function newTransactionKey(userId: string, publicKey: string, at: Date): TransactionKey {
  return new TransactionKey({
    userId,
    keyId: keyIdOf(publicKey),
    algorithm: 'ES256',
    publicKey,
    registeredAt: at.toISOString(),
  });
}

export function keyNotSet(userId: string): ChaincodeError {
  return new ChaincodeError(
    'KEY_NOT_SET',
    `user ${userId} has no transaction key; their platform registers one with keys:Register`,
  );
}

/** The TransactionKeyRegistered event: the public key and the key it replaced, if any. */
export function keyRegisteredEvent(key: TransactionKey, replaced: TransactionKey | undefined): Uint8Array {
  return canonicalBytes({
    userId: key.userId,
    keyId: key.keyId,
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    registeredAt: key.registeredAt,
    ...(replaced === undefined ? {} : { replacedKeyId: replaced.keyId }),
  });
}
