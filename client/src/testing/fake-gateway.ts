// Typed fakes of the gateway's Contract and Network for unit tests: no peer,
// no gRPC. Left out of the build (tsconfig.build.json).
import { Metadata, type ServiceError, status as Grpc } from '@grpc/grpc-js';
import type { common } from '@hyperledger/fabric-protos';
import {
  type BlockEventsOptions,
  type ChaincodeEvent,
  type ChaincodeEventsOptions,
  type CloseableAsyncIterable,
  CommitError,
  type Contract,
  EndorseError,
  type Network,
  type Proposal,
  type ProposalOptions,
  StatusCode,
  type SubmittedTransaction,
} from '@hyperledger/fabric-gateway';
import type { CertificateAuthority } from '../ca/client';
import type { AssetCaAccess, ContractName, GroupContext } from '../groups/context';
import type { ConsentSettings } from '../consent';
import { ContractInvoker } from '../invoker';

/** One call the fake contract received. */
export interface FakeCall {
  readonly kind: 'evaluate' | 'submit';
  readonly contract: string;
  readonly transaction: string;
  readonly arguments: readonly string[];
  readonly transientData: Readonly<Record<string, string>>;
  /** Set for submitAsync: the ID its transaction commits with. */
  readonly transactionId?: string;
}

/** Answers a call: bytes (usually JSON), or throws what the gateway would. */
export type FakeHandler = (call: FakeCall) => Uint8Array | Promise<Uint8Array>;

const text = new TextDecoder();

function strings(values: readonly (string | Uint8Array)[] | undefined): string[] {
  return (values ?? []).map((v) => (typeof v === 'string' ? v : text.decode(v)));
}

function stringRecord(values: Record<string, string | Uint8Array> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : text.decode(v)]),
  );
}

export function json(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** The gateway Contract, answering from a handler and recording every call. */
export class FakeContract implements Contract {
  readonly calls: FakeCall[] = [];
  readonly #name: string;
  readonly #handler: FakeHandler;
  #submitted = 0;

  constructor(name: string, handler: FakeHandler) {
    this.#name = name;
    this.#handler = handler;
  }

  getChaincodeName(): string {
    return 'crowdledger';
  }

  getContractName(): string {
    return this.#name;
  }

  evaluateTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
    return this.evaluate(name, { arguments: args });
  }

  submitTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
    return this.submit(name, { arguments: args });
  }

  async evaluate(transaction: string, options?: ProposalOptions): Promise<Uint8Array> {
    return this.#call('evaluate', transaction, options);
  }

  async submit(transaction: string, options?: ProposalOptions): Promise<Uint8Array> {
    return this.#call('submit', transaction, options);
  }

  /** Answers as submit does; the transaction commits VALID with the ID `tx-<n>` (n counts submits). */
  async submitAsync(transaction: string, options?: ProposalOptions): Promise<SubmittedTransaction> {
    this.#submitted += 1;
    const transactionId = `tx-${String(this.#submitted)}`;
    const result = await this.#call('submit', transaction, options, transactionId);
    const empty = new Uint8Array();
    return {
      getResult: () => result,
      getTransactionId: () => transactionId,
      getStatus: () =>
        Promise.resolve({ blockNumber: 1n, code: StatusCode.VALID, successful: true, transactionId }),
      getBytes: () => empty,
      getDigest: () => empty,
    };
  }

  newProposal(): Proposal {
    throw new Error('FakeContract.newProposal is not used by the SDK');
  }

  async #call(
    kind: FakeCall['kind'],
    transaction: string,
    options?: ProposalOptions,
    transactionId?: string,
  ): Promise<Uint8Array> {
    const call: FakeCall = {
      kind,
      contract: this.#name,
      transaction,
      arguments: strings(options?.arguments),
      transientData: stringRecord(options?.transientData),
      ...(transactionId === undefined ? {} : { transactionId }),
    };
    this.calls.push(call);
    return this.#handler(call);
  }
}

/** The gRPC error under a gateway error. */
export function serviceError(code: Grpc, message: string): ServiceError {
  return Object.assign(new Error(message), { code, details: message, metadata: new Metadata() });
}

/** What the gateway throws when validation fails with the code (MVCC_READ_CONFLICT, …). */
export function commitError(code: keyof typeof StatusCode, transactionId = 'tx-commit'): CommitError {
  return new CommitError({ code: StatusCode[code], transactionId, message: `commit failed ${code}` });
}

/** What the gateway throws when the chaincode refuses at endorsement. */
export function chaincodeRefusal(code: string, sentence: string, transactionId = 'tx-endorse'): EndorseError {
  return new EndorseError({
    code: 10,
    details: [
      {
        address: 'peer0.platform1:7060',
        mspId: 'Platform1MSP',
        message: `chaincode response 500, ${code}: ${sentence}`,
      },
    ],
    cause: serviceError(Grpc.ABORTED, 'failed to endorse'),
    transactionId,
    message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
  });
}

/**
 * What the gateway throws when two endorsers' proposal responses differ
 * (Fabric 3.1 internal/pkg/gateway: endorse.go and endorsement.go): ABORTED,
 * "failed to collect enough transaction endorsements", and one detail per
 * endorser whose payload did not match the first.
 */
export function payloadMismatch(transactionId = 'tx-mismatch'): EndorseError {
  return new EndorseError({
    code: 10,
    details: [
      {
        address: 'peer0.platform2:7080',
        mspId: 'Platform2MSP',
        message: 'ProposalResponsePayloads do not match',
      },
    ],
    cause: serviceError(Grpc.ABORTED, 'failed to collect enough transaction endorsements'),
    transactionId,
    message:
      '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
  });
}

/** A committed chaincode event. */
export function chaincodeEvent(
  blockNumber: number,
  transactionId: string,
  eventName: string,
  payload: unknown,
): ChaincodeEvent {
  return {
    blockNumber: BigInt(blockNumber),
    transactionId,
    chaincodeName: 'crowdledger',
    eventName,
    payload: json(payload),
  };
}

/**
 * The gateway's chaincode event stream over a fixed list of committed
 * events, with the peer's checkpoint rule: start at the checkpoint's block
 * (else startBlock, else after the last one) and skip that block's events up
 * to and including the checkpoint's transaction. The stream stays open after
 * the last event, as a live one does, until closed.
 */
export class FakeEventNetwork implements Pick<Network, 'getChaincodeEvents' | 'getBlockEvents'> {
  readonly #events: readonly ChaincodeEvent[];
  /** The chain getBlockEvents serves; live after the last block, like the chaincode events. */
  blocks: readonly common.Block[] = [];
  opened = 0;
  /** Block streams opened and not yet closed. */
  openBlockStreams = 0;

  constructor(events: readonly ChaincodeEvent[]) {
    this.#events = events;
  }

  getBlockEvents(options?: BlockEventsOptions): Promise<CloseableAsyncIterable<common.Block>> {
    const start = Number(options?.startBlock ?? BigInt(this.blocks.length));
    const stream = liveStream(this.blocks.slice(start));
    this.openBlockStreams += 1;
    let open = true;
    const close = (): void => {
      if (open) {
        open = false;
        this.openBlockStreams -= 1;
      }
      stream.close();
    };
    return Promise.resolve({
      [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
      close,
      [Symbol.dispose]: close,
    });
  }

  getChaincodeEvents(
    _chaincode: string,
    options?: ChaincodeEventsOptions,
  ): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    this.opened += 1;
    const start = this.#start(options);
    const after = options?.checkpoint?.getTransactionId();
    let events = this.#events.filter((e) => e.blockNumber >= start);
    if (after !== undefined) {
      const index = events.findIndex((e) => e.blockNumber === start && e.transactionId === after);
      events = events.slice(index + 1);
    }
    return Promise.resolve(liveStream(events));
  }

  #start(options: ChaincodeEventsOptions | undefined): bigint {
    const next = (this.#events.at(-1)?.blockNumber ?? 0n) + 1n;
    return options?.checkpoint?.getBlockNumber() ?? options?.startBlock ?? next;
  }
}

function liveStream<T>(events: readonly T[]): CloseableAsyncIterable<T> {
  let closed = false;
  let wake: (() => void) | undefined;
  const close = (): void => {
    closed = true;
    wake?.();
  };
  async function* iterate(): AsyncGenerator<T> {
    for (const event of events) {
      if (closed) {
        return;
      }
      yield event;
    }
    // Live: nothing more until closed.
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (closed) {
        resolve();
      }
    });
  }
  return { [Symbol.asyncIterator]: iterate, close, [Symbol.dispose]: close };
}

/** The enrollment ID key FakeContext's asset CA hands out. */
export const FAKE_ID_KEY = Buffer.alloc(32, 7);

/** The reference secret every FakeContext starts with. */
export const FAKE_REFERENCE_SECRET = '5a'.repeat(32);

/** A GroupContext over fake contracts; `handler` answers every contract's calls. */
export class FakeContext implements GroupContext {
  readonly mspId: string;
  readonly chaincode = 'crowdledger';
  /** A fixed test secret; set undefined to test a client without one. */
  referenceSecret: string | undefined = FAKE_REFERENCE_SECRET;
  readonly network: FakeEventNetwork;
  readonly contracts = new Map<string, FakeContract>();
  readonly #handler: FakeHandler;
  height = 1_000n;
  /** The clock signed requests are dated by: fixed, so tests can name their expiry. */
  now = new Date('2026-01-01T00:00:00.000Z');
  readonly consent: ConsentSettings = { lifetimeMs: 5 * 60_000, now: () => this.now };

  constructor(mspId: string, handler: FakeHandler, events: readonly ChaincodeEvent[] = []) {
    this.mspId = mspId;
    this.#handler = handler;
    this.network = new FakeEventNetwork(events);
  }

  /** Every call to any contract, in order. */
  get calls(): FakeCall[] {
    return [...this.contracts.values()].flatMap((c) => c.calls);
  }

  contract<C extends ContractName>(name: C): ContractInvoker<C> {
    const contract = new FakeContract(name, this.#handler);
    this.contracts.set(name, contract);
    return new ContractInvoker(contract, {
      retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
    });
  }

  chainHeight(): Promise<bigint> {
    return Promise.resolve(this.height);
  }

  track(): () => void {
    return () => undefined;
  }

  /** The asset CA assetCa() hands out; none unless a test sets one. */
  ca: CertificateAuthority | undefined;

  assetCa(): Promise<AssetCaAccess> {
    return this.ca === undefined
      ? Promise.reject(new Error('no asset CA in this unit test'))
      : Promise.resolve({ ca: this.ca, platform: 'platform1', enrollmentIdKey: FAKE_ID_KEY });
  }
}
