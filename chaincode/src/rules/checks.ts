import { isChaincodeError } from '../values/errors';
import { CheckResult } from '../model/check-result';

/**
 * Runs a transaction's checks without its writes and reports the first
 * failure as {ok: false, code, sentence} instead of throwing. The key is
 * never checked here: an evaluate commits nothing, so it could not count a
 * wrong key, and answering would let anyone guess keys without limit.
 */
export async function checkOnly(run: () => Promise<void>, passed: string): Promise<CheckResult> {
  try {
    await run();
  } catch (error) {
    if (isChaincodeError(error)) {
      return CheckResult.failed(error.code, error.sentence);
    }
    throw error;
  }
  return CheckResult.passed(passed);
}

export function passedSentence(call: string): string {
  return `${call} would succeed now if the transaction key is right; the key is not checked here, since an evaluate cannot count wrong keys and checking it would allow unlimited guessing`;
}
