import {
  CONSENT_ALGORITHMS,
  type ConsentAlgorithm,
  canonicalBytes,
  keyIdOf,
  readPublicKey,
} from '@crowdledger/protocol';
import { Object as DataType, Property } from 'fabric-contract-api';
import type { Codec } from '../values/codec';
import { parseStored } from '../values/codec';
import { ChaincodeError } from '../values/errors';
import { requireFields, requireInstant, requireOneOf, requireSha256Hex, requireText } from '../values/guards';
import { requireUserId } from '../values/ids';

export interface TransactionKeyFields {
  readonly userId: string;
  readonly keyId: string;
  readonly algorithm: ConsentAlgorithm;
  readonly publicKey: string;
  readonly registeredAt: string;
}

/**
 * A user's transaction key as the ledger keeps it (R7): the public half of a
 * key pair whose private half never leaves the user. Public state, as a
 * public key is no secret; the current key lives under (transactionKey,
 * userId), each replaced one under (retiredTransactionKey, userId, keyId).
 */
@DataType()
export class TransactionKey implements TransactionKeyFields {
  @Property('userId', 'string')
  readonly userId: string;

  /** SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex. */
  @Property('keyId', 'string')
  readonly keyId: string;

  /** ES256: ECDSA on P-256 with SHA-256. */
  @Property('algorithm', 'string')
  readonly algorithm: ConsentAlgorithm;

  /** DER SubjectPublicKeyInfo, base64url. */
  @Property('publicKey', 'string')
  readonly publicKey: string;

  /** ISO-8601 time of the registering transaction. */
  @Property('registeredAt', 'string')
  readonly registeredAt: string;

  constructor(fields: TransactionKeyFields) {
    this.userId = fields.userId;
    this.keyId = fields.keyId;
    this.algorithm = fields.algorithm;
    this.publicKey = fields.publicKey;
    this.registeredAt = fields.registeredAt;
  }

  static parse(value: unknown): TransactionKey {
    const fields = requireFields(value, 'transaction key', [
      'userId',
      'keyId',
      'algorithm',
      'publicKey',
      'registeredAt',
    ]);
    const publicKey = requireText(fields['publicKey'], 'publicKey', {
      expected: 'a P-256 public key (DER SubjectPublicKeyInfo, base64url)',
      maxLength: 200,
    });
    const keyId = requireSha256Hex(fields['keyId'], 'keyId');
    if (readPublicKey(publicKey) === undefined || keyIdOf(publicKey) !== keyId) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'publicKey must be a P-256 key whose SHA-256 is keyId');
    }
    return new TransactionKey({
      userId: requireUserId(fields['userId']),
      keyId,
      algorithm: requireOneOf(fields['algorithm'], 'algorithm', CONSENT_ALGORITHMS),
      publicKey,
      registeredAt: requireInstant(fields['registeredAt'], 'registeredAt'),
    });
  }

  toBytes(): Uint8Array {
    return canonicalBytes({
      userId: this.userId,
      keyId: this.keyId,
      algorithm: this.algorithm,
      publicKey: this.publicKey,
      registeredAt: this.registeredAt,
    });
  }
}

export const transactionKeyCodec: Codec<TransactionKey> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => TransactionKey.parse(value)),
  toBytes: (value) => value.toBytes(),
};
