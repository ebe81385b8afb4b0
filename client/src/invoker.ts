import type { ContractName, TransactionName } from '@crowdledger/protocol';
import type { Contract } from '@hyperledger/fabric-gateway';
import { type Decoder, fromJson } from './decode';
import { toCrowdLedgerError } from './errors';
import {
  DEFAULT_RETRY_POLICY,
  type RetryEnvironment,
  type RetryPolicy,
  type SubmitOutcome,
  withRetry,
} from './retry';

/** A submit's inputs: public arguments, and the transient map that never reaches a block. */
export interface SubmitCall {
  /** The transaction's arguments, in order; they are written into the block. */
  readonly arguments?: readonly string[];
  /** Private inputs by key (UTF-8): the endorsing peers see them, the block does not. */
  readonly transientData?: Readonly<Record<string, string>>;
}

/** How a {@link ContractInvoker} retries and checks that its client is still open. */
export interface InvokerOptions {
  /** How submits are retried on read conflicts; {@link DEFAULT_RETRY_POLICY} when absent. */
  readonly retry?: RetryPolicy;
  /** Throws when the client is closed; called before every attempt. */
  readonly checkOpen?: () => void;
  /** The clock and randomness of retry waits; the real ones when absent (tests replace them). */
  readonly environment?: RetryEnvironment;
  /** Told how each submit ended and how many attempts it took. */
  readonly onSubmit?: (outcome: SubmitOutcome) => void;
}

/**
 * Calls one contract's transactions (only those the protocol names for it): JSON results decoded into types,
 * failures turned into CrowdLedgerErrors with their stage, and submits
 * retried on read conflicts only (retry.ts).
 */
export class ContractInvoker<C extends ContractName = ContractName> {
  readonly #contract: Contract;
  readonly #options: Readonly<InvokerOptions>;

  constructor(contract: Contract, options: Readonly<InvokerOptions> = {}) {
    this.#contract = contract;
    this.#options = options;
  }

  /** Runs a query on one peer; nothing is ordered or written. Private inputs go in `transientData`. */
  async evaluate<T>(
    transaction: TransactionName<C>,
    decoder: Decoder<T>,
    call: readonly string[] | SubmitCall = [],
  ): Promise<T> {
    this.#options.checkOpen?.();
    const { arguments: args = [], transientData } = isArgumentList(call) ? { arguments: call } : call;
    let bytes: Uint8Array;
    try {
      bytes = await this.#contract.evaluate(transaction, {
        arguments: [...args],
        ...(transientData === undefined ? {} : { transientData: { ...transientData } }),
      });
    } catch (error) {
      throw toCrowdLedgerError(error, 'evaluate');
    }
    return fromJson(bytes, decoder, this.#what(transaction));
  }

  /**
   * Endorses, orders and waits for the commit; a conflict is retried with a
   * fresh transaction. How it ended, attempts included, goes to onSubmit.
   */
  async submit<T>(transaction: TransactionName<C>, decoder: Decoder<T>, call: SubmitCall = {}): Promise<T> {
    const policy = this.#options.retry ?? DEFAULT_RETRY_POLICY;
    const started = performance.now();
    let attempts = 0;
    const report = (outcome: { ok: true } | { ok: false; code: string }): void => {
      const durationMs = performance.now() - started;
      const what = `${this.#contract.getContractName() ?? ''}:${transaction}`;
      this.#options.onSubmit?.({ transaction: what, attempts, durationMs, ...outcome });
    };
    let bytes: Uint8Array;
    try {
      bytes = await withRetry(
        policy,
        (n) => {
          attempts = n;
          return this.#attempt(transaction, call);
        },
        this.#options.environment,
      );
    } catch (error) {
      report({ ok: false, code: toCrowdLedgerError(error).code });
      throw error;
    }
    report({ ok: true });
    return fromJson(bytes, decoder, this.#what(transaction));
  }

  async #attempt(transaction: string, call: SubmitCall): Promise<Uint8Array> {
    this.#options.checkOpen?.();
    try {
      return await this.#contract.submit(transaction, {
        arguments: [...(call.arguments ?? [])],
        ...(call.transientData === undefined ? {} : { transientData: { ...call.transientData } }),
      });
    } catch (error) {
      throw toCrowdLedgerError(error, 'endorse');
    }
  }

  #what(transaction: string): string {
    return `${this.#contract.getContractName() ?? ''}:${transaction} result`;
  }
}

function isArgumentList(call: readonly string[] | SubmitCall): call is readonly string[] {
  return Array.isArray(call);
}
