import { ChaincodeError } from '../values/errors';
import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import {
  requireBoolean,
  requireFields,
  requireInstant,
  requireOneOf,
  requireSha256Hex,
  requireWholeNumber,
} from '../values/guards';
import { requireUserId } from '../values/ids';
import { requireSalt } from '../values/personal-data';
import { parseStored } from '../values/codec';

export const KEY_KDFS = ['argon2id'] as const;
export type KeyKdf = (typeof KEY_KDFS)[number];

/** Consecutive wrong keys after which trading locks until the platform sets a new key (R7). */
export const LOCK_AFTER_FAILURES = 5;

/** Argon2 cost, kept with each hash so a later change of defaults still checks older keys. */
export interface KdfParameters {
  readonly memoryKiB: number;
  readonly passes: number;
  readonly parallelism: number;
}

export interface TransactionKeyFields extends KdfParameters {
  readonly userId: string;
  readonly kdf: KeyKdf;
  readonly salt: string;
  readonly blind: string;
  readonly hash: string;
  readonly failures: number;
  readonly locked: boolean;
  readonly setAt: string;
}

/**
 * A user's transaction key as the ledger keeps it (R7): a slow salted hash,
 * never the key. Lives only in the private collection of the user's
 * platform; not a contract return type, so it has no metadata.
 */
export class TransactionKeyRecord implements TransactionKeyFields {
  readonly userId: string;
  readonly kdf: KeyKdf;
  readonly memoryKiB: number;
  readonly passes: number;
  readonly parallelism: number;
  /** Argon2 salt, lower-case hex of sha256(txId + "\n" + userId): unique, not secret. */
  readonly salt: string;
  /**
   * Random bytes from the platform, lower-case hex, used in no computation.
   * Fabric puts the SHA-256 of every private value into the block; without
   * this field everything else in the record is public or guessable, and the
   * key could be tested offline against that hash, lockout or not.
   */
  readonly blind: string;
  /** Argon2id tag, 32 bytes as lower-case hex. */
  readonly hash: string;
  /** Consecutive wrong keys since the key was set or last matched. */
  readonly failures: number;
  readonly locked: boolean;
  readonly setAt: string;

  constructor(fields: TransactionKeyFields) {
    this.userId = fields.userId;
    this.kdf = fields.kdf;
    this.memoryKiB = fields.memoryKiB;
    this.passes = fields.passes;
    this.parallelism = fields.parallelism;
    this.salt = fields.salt;
    this.blind = fields.blind;
    this.hash = fields.hash;
    this.failures = fields.failures;
    this.locked = fields.locked;
    this.setAt = fields.setAt;
  }

  static parse(value: unknown): TransactionKeyRecord {
    const fields = requireFields(value, 'transaction key', [
      'userId',
      'kdf',
      'memoryKiB',
      'passes',
      'parallelism',
      'salt',
      'blind',
      'hash',
      'failures',
      'locked',
      'setAt',
    ]);
    const parallelism = requireWholeNumber(fields['parallelism'], 'parallelism', 1, 64);
    const failures = requireWholeNumber(fields['failures'], 'failures', 0, LOCK_AFTER_FAILURES);
    const locked = requireBoolean(fields['locked'], 'locked');
    if (locked !== (failures === LOCK_AFTER_FAILURES)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `locked goes with ${String(LOCK_AFTER_FAILURES)} failures, and only with it`,
      );
    }
    return new TransactionKeyRecord({
      userId: requireUserId(fields['userId']),
      kdf: requireOneOf(fields['kdf'], 'kdf', KEY_KDFS),
      memoryKiB: requireWholeNumber(fields['memoryKiB'], 'memoryKiB', 8 * parallelism, 4_194_304),
      passes: requireWholeNumber(fields['passes'], 'passes', 1, 100),
      parallelism,
      salt: requireSha256Hex(fields['salt'], 'salt'),
      blind: requireSalt(fields['blind'], 'blind'),
      hash: requireSha256Hex(fields['hash'], 'hash'),
      failures,
      locked,
      setAt: requireInstant(fields['setAt'], 'setAt'),
    });
  }

  /** The record after a key check: failures counted, locked at the limit. */
  withFailures(failures: number): TransactionKeyRecord {
    return new TransactionKeyRecord({ ...this.#fields(), failures, locked: failures >= LOCK_AFTER_FAILURES });
  }

  toBytes(): Uint8Array {
    return canonicalBytes({ ...this.#fields() });
  }

  #fields(): TransactionKeyFields {
    return {
      userId: this.userId,
      kdf: this.kdf,
      memoryKiB: this.memoryKiB,
      passes: this.passes,
      parallelism: this.parallelism,
      salt: this.salt,
      blind: this.blind,
      hash: this.hash,
      failures: this.failures,
      locked: this.locked,
      setAt: this.setAt,
    };
  }
}

export const transactionKeyCodec: Codec<TransactionKeyRecord> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => TransactionKeyRecord.parse(value)),
  toBytes: (value) => value.toBytes(),
};
