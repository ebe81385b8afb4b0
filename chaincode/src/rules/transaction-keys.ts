import { argon2, createHash, timingSafeEqual } from 'node:crypto';
import { ChaincodeError } from '../values/errors';
import { canonicalBytes } from '@crowdledger/protocol';
import type { Refusal } from '../model/outcome';
import { type KdfParameters, LOCK_AFTER_FAILURES, TransactionKeyRecord } from '../model/transaction-key';
import { requireUtf8 } from '../values/guards';

/**
 * Transaction keys (R7): a user's trading secret, checked with Argon2id.
 * Pure functions of their inputs: the same on every endorser.
 */

/** OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
export const OWASP_ARGON2ID: KdfParameters = { memoryKiB: 19_456, passes: 2, parallelism: 1 };
export const TAG_BYTES = 32;
export const MIN_KEY_LENGTH = 4;
export const MAX_KEY_LENGTH = 128;

let parameters: KdfParameters = OWASP_ARGON2ID;

/**
 * The cost keys:Set hashes new keys with. A module setting, not a
 * transaction: only code loaded with the chaincode can change it, and the
 * unit tests do, to a cheap set, so hundreds of key checks run in seconds.
 * Each record keeps the parameters it was made with, and checks use those,
 * so changing this never breaks a key already set.
 */
export function useKdfParameters(next: KdfParameters): void {
  parameters = next;
}

export function kdfParameters(): KdfParameters {
  return parameters;
}

const CONTROL = /\p{Cc}/u;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * The key as sent in the transient map: strict UTF-8, 4 to 128 characters
 * (code points), no control characters, compared byte for byte (no
 * normalisation). Sentences never contain the key.
 */
export function requireTransactionKey(bytes: Uint8Array): string {
  const key = requireUtf8(bytes, 'transient field key');
  const length = key.replace(SURROGATE_PAIR, '_').length;
  if (length < MIN_KEY_LENGTH || length > MAX_KEY_LENGTH || CONTROL.test(key)) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `transient field key must be ${String(MIN_KEY_LENGTH)} to ${String(MAX_KEY_LENGTH)} characters without control characters`,
    );
  }
  return key;
}

/** sha256(txId + "\n" + userId), lower-case hex: unique per key setting, and the same on every endorser. */
export function keySalt(txId: string, userId: string): string {
  return createHash('sha256').update(`${txId}\n${userId}`, 'utf8').digest('hex');
}

/** Argon2id of the key, in the async form so the chaincode's event loop stays free meanwhile. */
export function deriveKeyHash(key: string, saltHex: string, cost: KdfParameters): Promise<Buffer> {
  // Never the key in an error: only that the derivation failed.
  const failed = (cause: unknown): Error => new Error('argon2id key derivation failed', { cause });
  return new Promise((resolve, reject) => {
    const parameters = {
      message: Buffer.from(key, 'utf8'),
      nonce: Buffer.from(saltHex, 'hex'),
      parallelism: cost.parallelism,
      tagLength: TAG_BYTES,
      memory: cost.memoryKiB,
      passes: cost.passes,
    };
    try {
      argon2('argon2id', parameters, (error, tag) => {
        if (error === null) {
          resolve(tag);
        } else {
          reject(failed(error));
        }
      });
    } catch (error) {
      // Invalid parameters are thrown at once rather than passed to the callback.
      reject(failed(error));
    }
  });
}

export interface KeySetting {
  readonly userId: string;
  readonly key: string;
  readonly blind: string;
  readonly txId: string;
  readonly at: Date;
}

/** A fresh record: no failures, unlocked, hashed with the current parameters. */
export async function newKeyRecord(setting: KeySetting): Promise<TransactionKeyRecord> {
  const cost = kdfParameters();
  const salt = keySalt(setting.txId, setting.userId);
  const hash = await deriveKeyHash(setting.key, salt, cost);
  return new TransactionKeyRecord({
    userId: setting.userId,
    kdf: 'argon2id',
    ...cost,
    salt,
    blind: setting.blind,
    hash: hash.toString('hex'),
    failures: 0,
    locked: false,
    setAt: setting.at.toISOString(),
  });
}

export interface KeyVerdict {
  /** The record to store when changed. */
  readonly record: TransactionKeyRecord;
  readonly changed: boolean;
  /** Undefined when the key matched. */
  readonly refusal?: Refusal;
}

/**
 * R7: a locked user is refused without looking at the key; a wrong key is
 * counted, locking at the fifth in a row; a right key clears the count.
 */
export async function checkTransactionKey(record: TransactionKeyRecord, key: string): Promise<KeyVerdict> {
  if (record.locked) {
    return { record, changed: false, refusal: lockedRefusal(record.userId) };
  }
  const expected = Buffer.from(record.hash, 'hex');
  const presented = await deriveKeyHash(key, record.salt, record);
  if (timingSafeEqual(expected, presented)) {
    return record.failures === 0
      ? { record, changed: false }
      : { record: record.withFailures(0), changed: true };
  }
  const next = record.withFailures(record.failures + 1);
  return { record: next, changed: true, refusal: wrongKeyRefusal(next) };
}

/** For the pre-trade checks, which must not look at the key: only whether one could be checked. */
export function requireKeyUsable(record: TransactionKeyRecord | undefined, userId: string): void {
  if (record === undefined) {
    throw keyNotSet(userId);
  }
  if (record.locked) {
    const { sentence } = lockedRefusal(userId);
    throw new ChaincodeError('LOCKED', sentence);
  }
}

export function keyNotSet(userId: string): ChaincodeError {
  return new ChaincodeError(
    'KEY_NOT_SET',
    `user ${userId} has no transaction key; their platform sets one with keys:Set`,
  );
}

function lockedRefusal(userId: string): Refusal {
  return {
    code: 'LOCKED',
    sentence: `trading for ${userId} is locked after ${String(LOCK_AFTER_FAILURES)} wrong transaction keys in a row, until their platform sets a new key with keys:Set`,
  };
}

function wrongKeyRefusal(record: TransactionKeyRecord): Refusal {
  const count = `${String(record.failures)} of ${String(LOCK_AFTER_FAILURES)} wrong keys in a row`;
  return {
    code: 'BAD_TRANSACTION_KEY',
    sentence: record.locked
      ? `the transaction key for ${record.userId} is wrong (${count}): trading is now locked until their platform sets a new key with keys:Set`
      : `the transaction key for ${record.userId} is wrong (${count}); nothing else was done`,
  };
}

/** The TransactionKeyRefused event: who and the count, never key material. */
export function keyRefusedEvent(record: TransactionKeyRecord): Uint8Array {
  return canonicalBytes({ userId: record.userId, failures: record.failures, locked: record.locked });
}
