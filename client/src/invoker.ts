import type { Contract } from '@hyperledger/fabric-gateway';
import { type Decoder, fromJson } from './decode';
import { toCrowdLedgerError } from './errors';
import { DEFAULT_RETRY_POLICY, type RetryEnvironment, type RetryPolicy, withRetry } from './retry';

/** A submit's inputs: public arguments, and the transient map that never reaches a block. */
export interface SubmitCall {
  readonly arguments?: readonly string[];
  readonly transientData?: Readonly<Record<string, string>>;
}

export interface InvokerOptions {
  readonly retry?: RetryPolicy;
  /** Throws when the client is closed; called before every attempt. */
  readonly checkOpen?: () => void;
  readonly environment?: RetryEnvironment;
}

/**
 * Calls one contract's transactions: JSON results decoded into types,
 * failures turned into CrowdLedgerErrors with their stage, and submits
 * retried on read conflicts only (retry.ts).
 */
export class ContractInvoker {
  readonly #contract: Contract;
  readonly #options: Readonly<InvokerOptions>;

  constructor(contract: Contract, options: Readonly<InvokerOptions> = {}) {
    this.#contract = contract;
    this.#options = options;
  }

  /** Runs a query on one peer; nothing is ordered or written. */
  async evaluate<T>(transaction: string, decoder: Decoder<T>, args: readonly string[] = []): Promise<T> {
    this.#options.checkOpen?.();
    let bytes: Uint8Array;
    try {
      bytes = await this.#contract.evaluate(transaction, { arguments: [...args] });
    } catch (error) {
      throw toCrowdLedgerError(error, 'evaluate');
    }
    return fromJson(bytes, decoder, this.#what(transaction));
  }

  /** Endorses, orders and waits for the commit; a read conflict is retried with a fresh transaction. */
  async submit<T>(transaction: string, decoder: Decoder<T>, call: SubmitCall = {}): Promise<T> {
    const policy = this.#options.retry ?? DEFAULT_RETRY_POLICY;
    const bytes = await withRetry(
      policy,
      async () => {
        this.#options.checkOpen?.();
        try {
          return await this.#contract.submit(transaction, {
            arguments: [...(call.arguments ?? [])],
            ...(call.transientData === undefined ? {} : { transientData: { ...call.transientData } }),
          });
        } catch (error) {
          throw toCrowdLedgerError(error, 'endorse');
        }
      },
      this.#options.environment,
    );
    return fromJson(bytes, decoder, this.#what(transaction));
  }

  #what(transaction: string): string {
    return `${this.#contract.getContractName() ?? ''}:${transaction} result`;
  }
}
