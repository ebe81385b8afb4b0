/*
 * What the chaincode service runs (server.ts): fabric-shim's own dispatcher,
 * which reads the contracts' metadata and marshals arguments and results,
 * behind a front door. The dispatcher refuses some calls before any contract
 * runs, in sentences of its own that carry no code: a contract it does not
 * know ("Contract name is not known: smoke"; a name such as "constructor"
 * even finds Object.prototype in its lookup table and fails with a
 * TypeError), and a wrong number of arguments ("Expected 2 parameters, but 1
 * have been supplied"). The front door refuses those first, with a code.
 */
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { type ChaincodeInterface, type ChaincodeResponse, type ChaincodeStub, Shim } from 'fabric-shim';
import { JSONSerializer } from 'fabric-contract-api';
import { contracts } from './index';
import { ChaincodeError } from './values/errors';
import { collectWrites } from './write-batch';

type ContractClass = (typeof contracts)[number];

type DispatcherClass = new (
  contracts: readonly ContractClass[],
  serializers: object,
  metadata: object,
  title: string,
  version: string,
) => ChaincodeInterface;

// fabric-shim 2.5.8 ships no types for its dispatcher; the project pins that version.
const load = createRequire(__filename);
const ChaincodeFromContract = load('fabric-shim/lib/contract-spi/chaincodefromcontract') as DispatcherClass;
const packageJson = load('../package.json') as { readonly name: string; readonly version: string };

/** What `fabric-chaincode-node server` passes: the JSON serializer, no metadata file. */
const SERIALIZERS = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };

/** fabric-shim's own contract: the metadata a client may read (GetMetadata, no arguments). */
const SYSTEM_CONTRACT = 'org.hyperledger.fabric';

/** The status of a successful chaincode response (fabric-shim's Shim.success). */
const SUCCESS = 200;

/** Echoed names are cut short: a refusal should not repeat a megabyte the caller sent. */
const ECHO_LIMIT = 80;

interface TransactionMetadata {
  readonly name: string;
  readonly parameters?: readonly { readonly name: string; readonly schema?: object }[];
}

/** fabric-shim 2.5.8's per-contract argument marshaller, as its dispatcher holds it. */
interface Marshaller {
  handleParameters(fn: TransactionMetadata, parameters: readonly Uint8Array[], prefix: string): unknown[];
}

interface DispatcherInternals {
  readonly contractImplementations: Record<string, { readonly dataMarshall: Marshaller }>;
}

/** A parameter declared as a plain string: no format, pattern or length for a schema to check. */
function isPlainString(parameter: { readonly schema?: object }): boolean {
  const schema = parameter.schema as Record<string, unknown> | undefined;
  return schema !== undefined && Object.keys(schema).length === 1 && schema['type'] === 'string';
}

/**
 * fabric-shim compiles a JSON schema of every model for each argument of
 * each call, to check that a string is a string (the heaviest JavaScript in
 * a profile of the service under buys). Where every parameter is a plain
 * string the answer is known, so the arguments pass as its string path would
 * give them (UTF-8 text); any other transaction goes the shim's way.
 */
function passPlainStrings(dispatcher: ChaincodeInterface): void {
  const plain = new WeakMap<TransactionMetadata, boolean>();
  const { contractImplementations } = dispatcher as unknown as DispatcherInternals;
  for (const { dataMarshall } of Object.values(contractImplementations)) {
    const shimWay = dataMarshall.handleParameters.bind(dataMarshall);
    dataMarshall.handleParameters = (fn, parameters, prefix) => {
      let allPlain = plain.get(fn);
      if (allPlain === undefined) {
        allPlain = (fn.parameters ?? []).every(isPlainString);
        plain.set(fn, allPlain);
      }
      return allPlain && parameters.length === (fn.parameters ?? []).length
        ? parameters.map((bytes) =>
            Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
          )
        : shimWay(fn, parameters, prefix);
    };
  }
}

/** Every transaction served, as "contract:Transaction", with its parameter names. */
function servedTransactions(classes: readonly ContractClass[]): Map<string, readonly string[]> {
  const served = new Map<string, readonly string[]>([[`${SYSTEM_CONTRACT}:GetMetadata`, []]]);
  for (const ContractType of classes) {
    const instance = new ContractType();
    const declared = Reflect.getMetadata('fabric:transactions', ContractType.prototype) as
      TransactionMetadata[] | undefined;
    for (const transaction of declared ?? []) {
      const parameters = (transaction.parameters ?? []).map((parameter) => parameter.name);
      served.set(`${instance.getName()}:${transaction.name}`, parameters);
    }
  }
  return served;
}

function echo(text: string): string {
  return JSON.stringify(text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text);
}

/** The contract and transaction of a function name, split as fabric-shim splits it (at the first colon). */
function splitName(fcn: string, defaultContract: string): { contract: string; transaction: string } {
  const colon = fcn.indexOf(':');
  const contract = colon < 0 ? '' : fcn.slice(0, colon);
  const transaction = colon < 0 ? fcn : fcn.slice(colon + 1);
  return { contract: contract.trim() === '' ? defaultContract : contract, transaction };
}

/**
 * The dispatcher the chaincode service runs. Every call it passes on names a
 * served transaction with exactly its arguments; everything else fails with
 * UNKNOWN_TRANSACTION or INVALID_ARGUMENT and runs no contract.
 */
export class CrowdLedgerChaincode implements ChaincodeInterface {
  readonly #dispatcher: ChaincodeInterface;
  readonly #served: ReadonlyMap<string, readonly string[]>;
  readonly #contracts: ReadonlySet<string>;
  readonly #defaultContract: string;

  constructor(classes: readonly ContractClass[] = contracts) {
    this.#dispatcher = new ChaincodeFromContract(
      classes,
      SERIALIZERS,
      {},
      packageJson.name,
      packageJson.version,
    );
    passPlainStrings(this.#dispatcher);
    this.#served = servedTransactions(classes);
    this.#contracts = new Set([...this.#served.keys()].map((name) => name.slice(0, name.indexOf(':'))));
    // fabric-shim serves a name without a contract from the first contract.
    this.#defaultContract = classes[0] === undefined ? SYSTEM_CONTRACT : new classes[0]().getName();
  }

  Init(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const refusal = this.refusal(stub.getArgs());
    return refusal === undefined ? this.#dispatcher.Init(stub) : Promise.resolve(Shim.error(refusal.message));
  }

  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const refusal = this.refusal(stub.getArgs());
    if (refusal !== undefined) {
      return Shim.error(refusal.message);
    }
    const writes = collectWrites(stub);
    const response = await this.#dispatcher.Invoke(stub);
    if (writes === undefined || response.status !== SUCCESS) {
      return response;
    }
    try {
      await writes.flush();
      return response;
    } catch (error) {
      // What the peer refused is what refusing a single putState would have said.
      return Shim.error(error instanceof Error ? error.message : String(error));
    }
  }

  /** Why the call is refused before any contract runs, or undefined to let it through. */
  refusal(args: readonly string[]): ChaincodeError | undefined {
    const [first, ...rest] = args;
    if (first === undefined) {
      // No function at all: fabric-shim answers "Default initiator successful." and runs nothing.
      return undefined;
    }
    const { contract, transaction } = splitName(first, this.#defaultContract);
    const parameters = this.#served.get(`${contract}:${transaction}`);
    if (parameters === undefined) {
      return this.#contracts.has(contract)
        ? new ChaincodeError(
            'UNKNOWN_TRANSACTION',
            `contract ${contract} has no transaction named ${echo(first)}`,
          )
        : new ChaincodeError('UNKNOWN_TRANSACTION', `the chaincode has no contract named ${echo(contract)}`);
    }
    if (rest.length !== parameters.length) {
      const expected =
        parameters.length === 0
          ? 'no arguments'
          : `${String(parameters.length)} argument${parameters.length === 1 ? '' : 's'} (${parameters.join(', ')})`;
      return new ChaincodeError(
        'INVALID_ARGUMENT',
        `${contract}:${transaction} takes ${expected}, ${String(rest.length)} given`,
      );
    }
    return undefined;
  }
}
