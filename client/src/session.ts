import { common } from '@hyperledger/fabric-protos';
import type { Network } from '@hyperledger/fabric-gateway';
import { ClientErrorCode, CrowdLedgerError, toCrowdLedgerError } from './errors';
import { closeGateway, type OpenGateway, openGateway } from './gateway';
import type { AssetCaAccess, Closeable, ContractName, GroupContext } from './groups/context';
import { ContractInvoker } from './invoker';
import type { ConsentSettings } from './consent';
import type { ResolvedOptions } from './options';
import type { SubmitOutcome, SubmitStats } from './retry';

/** What the groups share: the one gateway connection, its resources, the asset CA. */
export class Session implements GroupContext {
  /**
   *
   */
  readonly mspId: string;
  /**
   *
   */
  readonly chaincode: string;
  /**
   *
   */
  readonly referenceSecret: string | undefined;
  /**
   *
   */
  readonly network: Network;
  /** How signed requests are dated: the options' lifetime, the system clock. */
  readonly consent: ConsentSettings;
  readonly #options: ResolvedOptions;
  readonly #open: OpenGateway;
  readonly #resources = new Set<Closeable>();
  #assetCa: Promise<AssetCaAccess> | undefined;
  #closed = false;
  #stats: SubmitStats = { submits: 0, succeeded: 0, attempts: 0, retried: 0 };

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.mspId = options.identity.mspId;
    this.chaincode = options.chaincode;
    this.referenceSecret = options.referenceSecret;
    this.#open = openGateway(options.peer, options.identity, options.deadlinesMs);
    this.network = this.#open.gateway.getNetwork(options.channel);
    this.consent = { lifetimeMs: options.consentLifetimeMs, now: () => new Date() };
  }

  /**
   *
   */
  contract<C extends ContractName>(name: C): ContractInvoker<C> {
    return new ContractInvoker(this.network.getContract(this.chaincode, name), {
      retry: this.#options.retry,
      checkOpen: () => {
        this.#checkOpen();
      },
      onSubmit: (outcome) => {
        this.#count(outcome);
      },
    });
  }

  /** Every submit so far, added up. */
  submitStats(): SubmitStats {
    return { ...this.#stats };
  }

  #count(outcome: SubmitOutcome): void {
    const { submits, succeeded, attempts, retried } = this.#stats;
    // A failed submit's last attempt was not retried; every earlier one was.
    this.#stats = {
      submits: submits + 1,
      succeeded: succeeded + (outcome.ok ? 1 : 0),
      attempts: attempts + outcome.attempts,
      retried: retried + outcome.attempts - 1,
    };
    this.#options.onSubmit?.(outcome);
  }

  /**
   *
   */
  async chainHeight(): Promise<bigint> {
    this.#checkOpen();
    let bytes: Uint8Array;
    try {
      bytes = await this.network.getContract('qscc').evaluate('GetChainInfo', {
        arguments: [this.network.getName()],
      });
    } catch (error) {
      throw toCrowdLedgerError(error, 'evaluate');
    }
    return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
  }

  /**
   *
   */
  track(resource: Closeable): () => void {
    if (this.#closed) {
      resource.close();
      return () => undefined;
    }
    this.#resources.add(resource);
    return () => this.#resources.delete(resource);
  }

  /**
   *
   */
  assetCa(): Promise<AssetCaAccess> {
    const open = this.#options.assetCa;
    if (open === undefined) {
      return Promise.reject(
        new CrowdLedgerError(
          ClientErrorCode.invalidOptions,
          'no asset CA: connect with a platform profile (it names assetCa), or give assetCa and org, or certificateAuthority and org',
        ),
      );
    }
    // Opened once; a failed opening is tried again on the next call.
    this.#assetCa ??= open().catch((error: unknown) => {
      this.#assetCa = undefined;
      throw error;
    });
    return this.#assetCa;
  }

  /**
   *
   */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const resource of [...this.#resources]) {
      resource.close();
    }
    closeGateway(this.#open);
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new CrowdLedgerError(ClientErrorCode.closed, 'this CrowdLedger client is closed');
    }
  }
}
