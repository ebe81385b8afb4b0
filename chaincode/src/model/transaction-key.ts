import { CONSENT_ALGORITHMS, keyIdOf, readPublicKey } from '@crowdledger/protocol';
import { Object as DataType } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { requireInstant, requireOneOf, requireSha256Hex, requireText } from '../values/guards';
import { requireUserId } from '../values/ids';
import { type FieldsOf, parseFields, record, recordCodec, text } from './record';

/** A P-256 public key in the one text form the ledger keeps (DER SubjectPublicKeyInfo, base64url). */
function requirePublicKey(value: unknown, name: string): string {
  const publicKey = requireText(value, name, {
    expected: 'a P-256 public key (DER SubjectPublicKeyInfo, base64url)',
    maxLength: 200,
  });
  if (readPublicKey(publicKey) === undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be an uncompressed P-256 public key`);
  }
  return publicKey;
}

const TRANSACTION_KEY = {
  userId: text(requireUserId),
  /** SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex. */
  keyId: text(requireSha256Hex),
  /** ES256: ECDSA on P-256 with SHA-256. */
  algorithm: text((value, name) => requireOneOf(value, name, CONSENT_ALGORITHMS)),
  /** DER SubjectPublicKeyInfo, base64url. */
  publicKey: text(requirePublicKey),
  /** ISO-8601 time of the registering transaction. */
  registeredAt: text(requireInstant),
};

export type TransactionKeyFields = FieldsOf<typeof TRANSACTION_KEY>;

/**
 * A user's transaction key as the ledger keeps it (R7): the public half of a
 * key pair whose private half never leaves the user. Public state, as a
 * public key is no secret; the current key lives under (transactionKey,
 * userId), each replaced one under (retiredTransactionKey, userId, keyId).
 */
@DataType()
export class TransactionKey extends record(TRANSACTION_KEY) {
  static parse(value: unknown): TransactionKey {
    const fields = parseFields(TRANSACTION_KEY, value, 'transaction key');
    if (keyIdOf(fields.publicKey) !== fields.keyId) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'publicKey must be a P-256 key whose SHA-256 is keyId');
    }
    return new TransactionKey(fields);
  }
}

export const transactionKeyCodec = recordCodec((value) => TransactionKey.parse(value));
