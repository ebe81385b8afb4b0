import { ChaincodeError } from '../values/errors';

/**
 * Index entries and records are written together, so a missing target is
 * damage to report, not a gap to skip.
 */
export function indexed<T>(record: T | undefined, key: string): T {
  if (record === undefined) {
    throw new ChaincodeError('CORRUPT_STATE', `an index entry points at ${key}, which does not exist`);
  }
  return record;
}
