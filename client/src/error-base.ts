// The error class every SDK failure is, on its own so that the per-code
// classes (chaincode-errors.ts) can extend it without an import cycle.
import { ClientErrorCode, type CrowdLedgerErrorCode, isCrowdLedgerErrorCode, RETRYABLE_CODES } from './codes';

/**
 * Where a transaction failed: `evaluate` (a query), or one of the three
 * steps of a submit — `endorse` (the chaincode ran and refused, or peers
 * disagreed), `submit` (the orderer refused), `commit` (validation failed or
 * its status could not be read). Nothing is written unless commit succeeded.
 */
export type TransactionStage = 'endorse' | 'submit' | 'commit' | 'evaluate';

/** The optional fields of a {@link CrowdLedgerError}. */
export interface CrowdLedgerErrorOptions {
  /** The error this one explains (a gateway or gRPC error). */
  readonly cause?: unknown;
  /** The transaction's ID, when one was built. */
  readonly transactionId?: string;
  /** The step of the transaction that failed. */
  readonly stage?: TransactionStage;
}

const RETRYABLE = new Set<string>(RETRYABLE_CODES);

/** Every failure the SDK reports: a stable code, a sentence, and where it happened. */
export class CrowdLedgerError extends Error {
  /**
   * The stable code. A code this SDK version does not know (a newer
   * chaincode's) is `UNRECOGNISED_CODE`, with the code as sent in {@link rawCode}.
   */
  readonly code: CrowdLedgerErrorCode;
  /** The code exactly as the chaincode, Fabric or the SDK gave it. */
  readonly rawCode: string;
  /** The human sentence after the code, e.g. `Platform1MSP already registered alice as user U…`. */
  readonly sentence: string;
  /** The transaction's ID, when the failure belongs to one that was built. */
  readonly transactionId: string | undefined;
  /** The step of the transaction that failed; undefined outside a transaction. */
  readonly stage: TransactionStage | undefined;

  /** `code` should be a {@link CrowdLedgerErrorCode}; anything else becomes UNRECOGNISED_CODE. */
  constructor(code: string, sentence: string, options: CrowdLedgerErrorOptions = {}) {
    super(`${code}: ${sentence}`, { cause: options.cause });
    this.name = 'CrowdLedgerError';
    this.code = isCrowdLedgerErrorCode(code) ? code : ClientErrorCode.unrecognisedCode;
    this.rawCode = code;
    this.sentence = sentence;
    this.transactionId = options.transactionId;
    this.stage = options.stage;
  }

  /** True only for conflicts that Fabric says a fresh attempt can resolve. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
