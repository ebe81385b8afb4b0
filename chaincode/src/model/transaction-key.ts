import { ChaincodeError } from '../values/errors';
import {
  requireBoolean,
  requireInstant,
  requireOneOf,
  requireSha256Hex,
  requireWholeNumber,
} from '../values/guards';
import { requireUserId } from '../values/ids';
import { requireSalt } from '../values/personal-data';
import { count, type FieldsOf, flag, parseFields, record, recordCodec, text } from './record';

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

const wholeNumber =
  (min: number, max: number) =>
  (value: unknown, name: string): number =>
    requireWholeNumber(value, name, min, max);

// parallelism comes before memoryKiB: the memory floor is 8 KiB per lane.
const TRANSACTION_KEY = {
  userId: text(requireUserId),
  kdf: text((value, name) => requireOneOf(value, name, KEY_KDFS)),
  parallelism: count(wholeNumber(1, 64)),
  memoryKiB: count((value, name, earlier) =>
    requireWholeNumber(value, name, 8 * (earlier['parallelism'] as number), 4_194_304),
  ),
  passes: count(wholeNumber(1, 100)),
  /** Argon2 salt, lower-case hex of sha256(txId + "\n" + userId): unique, not secret. */
  salt: text(requireSha256Hex),
  /**
   * Random bytes from the platform, lower-case hex, used in no computation.
   * Fabric puts the SHA-256 of every private value into the block; without
   * this field everything else in the record is public or guessable, and the
   * key could be tested offline against that hash, lockout or not.
   */
  blind: text(requireSalt),
  /** Argon2id tag, 32 bytes as lower-case hex. */
  hash: text(requireSha256Hex),
  /** Consecutive wrong keys since the key was set or last matched. */
  failures: count(wholeNumber(0, LOCK_AFTER_FAILURES)),
  locked: flag(requireBoolean),
  setAt: text(requireInstant),
};

export type TransactionKeyFields = FieldsOf<typeof TRANSACTION_KEY>;

/**
 * A user's transaction key as the ledger keeps it (R7): a slow salted hash,
 * never the key. Lives only in the private collection of the user's
 * platform; not a contract return type, so it has no @Object metadata.
 */
export class TransactionKeyRecord extends record(TRANSACTION_KEY) {
  static parse(value: unknown): TransactionKeyRecord {
    const fields = parseFields(TRANSACTION_KEY, value, 'transaction key');
    if (fields.locked !== (fields.failures === LOCK_AFTER_FAILURES)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `locked goes with ${String(LOCK_AFTER_FAILURES)} failures, and only with it`,
      );
    }
    return new TransactionKeyRecord(fields);
  }

  /** The record after a key check: failures counted, locked at the limit. */
  withFailures(failures: number): TransactionKeyRecord {
    return new TransactionKeyRecord({ ...this.fields(), failures, locked: failures >= LOCK_AFTER_FAILURES });
  }
}

export const transactionKeyCodec = recordCodec((value) => TransactionKeyRecord.parse(value));
