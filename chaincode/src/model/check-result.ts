import { Object as DataType, Property } from 'fabric-contract-api';
import type { ErrorCode } from '@crowdledger/protocol';

/**
 * The answer of a pre-trade check (trades:CanBuy, campaigns:CanCommit):
 * whether the transaction would succeed now, the transaction key aside.
 */
@DataType()
export class CheckResult {
  @Property('ok', 'boolean')
  readonly ok: boolean;

  /** Only when not ok: the code the transaction would fail with. */
  @Property('code', 'string')
  readonly code?: ErrorCode;

  @Property('sentence', 'string')
  readonly sentence: string;

  private constructor(ok: boolean, sentence: string, code?: ErrorCode) {
    this.ok = ok;
    this.sentence = sentence;
    if (code !== undefined) {
      this.code = code;
    }
  }

  static passed(sentence: string): CheckResult {
    return new CheckResult(true, sentence);
  }

  static failed(code: ErrorCode, sentence: string): CheckResult {
    return new CheckResult(false, sentence, code);
  }
}
