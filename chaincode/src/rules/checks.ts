import { isChaincodeError } from '../values/errors';
import { CheckResult } from '../model/check-result';

/**
 * Runs a transaction's checks without its writes and reports the first
 * failure as {ok: false, code, sentence} instead of throwing. It takes no
 * signed request: a platform asks before the user signs, and only that a
 * key is registered is checked.
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
  return `${call} would succeed now with the user's signature over the request; the signature itself is checked only by ${call}`;
}
