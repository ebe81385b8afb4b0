// Every failure the SDK reports, in one module: the codes (the chaincode's
// come from the protocol package, Fabric's validation codes from the gateway's
// StatusCode, the SDK's and the asset-CA client's are listed here), the error
// classes, and the mapping from what the gateway throws.
import { ERROR_CODES, type ErrorCode } from '@crowdledger/protocol';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  type ErrorDetail,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';

/** A code the chaincode sends (the protocol's ERROR_CODES). */
export type ChaincodeErrorCode = ErrorCode;

/** Every code the chaincode sends, in the protocol's order. */
export const CHAINCODE_ERROR_CODES: readonly ChaincodeErrorCode[] = ERROR_CODES;

/** A transaction validation code of a failed commit: Fabric's StatusCode names but VALID. */
export type ValidationErrorCode = Exclude<keyof typeof StatusCode, 'VALID'>;

/** Fabric's transaction validation codes (peer.TxValidationCode), VALID left out. */
export const VALIDATION_ERROR_CODES = Object.keys(StatusCode).filter(
  (name): name is ValidationErrorCode => name !== 'VALID' && Number.isNaN(Number(name)),
);

/** Codes the SDK itself raises. */
export const ClientErrorCode = {
  profileNotFound: 'PROFILE_NOT_FOUND',
  invalidProfile: 'INVALID_PROFILE',
  unknownIdentity: 'UNKNOWN_IDENTITY',
  unknownPeer: 'UNKNOWN_PEER',
  fileUnreadable: 'FILE_UNREADABLE',
  invalidIdentity: 'INVALID_IDENTITY',
  unavailable: 'UNAVAILABLE',
  timeout: 'TIMEOUT',
  endorseFailed: 'ENDORSE_FAILED',
  submitFailed: 'SUBMIT_FAILED',
  commitStatusFailed: 'COMMIT_STATUS_FAILED',
  gatewayFailed: 'GATEWAY_FAILED',
  unexpected: 'UNEXPECTED',
  /** The SDK's options are wrong (a missing field, a bad value). */
  invalidOptions: 'INVALID_OPTIONS',
  /** The peer answered with something that is not the documented result. */
  badResponse: 'BAD_RESPONSE',
  /** A code this SDK version does not know; `rawCode` has it as sent. */
  unrecognisedCode: 'UNRECOGNISED_CODE',
  /** The client was closed before the call. */
  closed: 'CLIENT_CLOSED',
  /** A platform may issue certificates only for its own users (R13). */
  notOwnUser: 'NOT_OWN_USER',
  /** The holding's certificate is already issued: nothing is due. */
  certificateNotDue: 'CERTIFICATE_NOT_DUE',
  /** A block number that is not a whole number from 0, or beyond the chain's newest block. */
  blockOutOfRange: 'BLOCK_OUT_OF_RANGE',
  /** A consent signer threw, or returned anything but a 64-byte ES256 signature: nothing was sent. */
  signerFailed: 'SIGNER_FAILED',
  /** users.register and users.idFor need the platform's reference secret, and the options gave none. */
  referenceSecretMissing: 'REFERENCE_SECRET_MISSING',
  /**
   * The gateway's "ProposalResponsePayloads do not match": the endorsers
   * simulated against different versions of a key (one had committed a
   * block the other had not yet). A read conflict caught before ordering;
   * retried like MVCC_READ_CONFLICT.
   */
  endorsementMismatch: 'ENDORSEMENT_MISMATCH',
  /**
   * A register import whose checkpoint belongs to another file, asset or
   * batch size, or whose asset the ledger holds with other terms or for
   * another platform: nothing was written.
   */
  importMismatch: 'IMPORT_MISMATCH',
} as const;

/** A code the SDK raises. */
export type ClientErrorCodeValue = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Codes the Fabric CA client raises; each is the `code` of a FabricCaError. */
export const CaErrorCode = {
  /** Fabric CA answered and said no (authorization, unknown identity, bad request…). */
  refused: 'CA_REFUSED',
  /** No answer: connection refused, TLS failure, timeout. */
  unreachable: 'CA_UNREACHABLE',
  /** An answer that is not Fabric CA's JSON envelope or lacks the expected result. */
  badResponse: 'CA_BAD_RESPONSE',
  /** The caller's input was refused before anything was sent. */
  invalidRequest: 'CA_INVALID_REQUEST',
  /** A certificate, key or CRL that cannot be read. */
  invalidCertificate: 'INVALID_CERTIFICATE',
  /** The enrollment ID exists with other attributes or affiliation than asked for. */
  identityConflict: 'CA_IDENTITY_CONFLICT',
  /** The enrollment ID was revoked: Fabric CA never enrolls it again. */
  identityRevoked: 'CA_IDENTITY_REVOKED',
} as const;

/** A code the asset-CA client raises. */
export type CaErrorCodeValue = (typeof CaErrorCode)[keyof typeof CaErrorCode];

/** Every code a CrowdLedgerError can carry. */
export type CrowdLedgerErrorCode =
  ChaincodeErrorCode | ValidationErrorCode | ClientErrorCodeValue | CaErrorCodeValue;

const KNOWN = new Set<string>([
  ...CHAINCODE_ERROR_CODES,
  ...VALIDATION_ERROR_CODES,
  ...Object.values(ClientErrorCode),
  ...Object.values(CaErrorCode),
]);

const CHAINCODE = new Set<string>(CHAINCODE_ERROR_CODES);

/** True for any code this SDK version knows. */
export function isCrowdLedgerErrorCode(code: string): code is CrowdLedgerErrorCode {
  return KNOWN.has(code);
}

/** True for a code the chaincode sends. */
export function isChaincodeErrorCode(code: string): code is ChaincodeErrorCode {
  return CHAINCODE.has(code);
}

/**
 * Codes the SDK retries: the conflicts a fresh attempt can pass —
 * MVCC_READ_CONFLICT (a key read was changed before this one committed) and
 * ENDORSEMENT_MISMATCH (the endorsers read different versions of a key: the
 * same conflict, caught at endorsement). A PHANTOM_READ_CONFLICT (a range
 * read changed) surfaces: campaign settlement reads its commitments only
 * after the deadline closed them, and the cancel of a campaign that a first
 * commitment beat is refused on its next attempt anyway (CAMPAIGN_OPEN).
 */
export const RETRYABLE_CODES: readonly CrowdLedgerErrorCode[] = [
  'MVCC_READ_CONFLICT',
  'ENDORSEMENT_MISMATCH',
];

const RETRYABLE = new Set<string>(RETRYABLE_CODES);

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

/**
 * A refusal by the chaincode (DESIGN §4): nothing was written. Each code
 * has its own subclass in {@link ChaincodeErrors}.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- C is what each subclass fixes `code` to
export class ChaincodeError<C extends ChaincodeErrorCode = ChaincodeErrorCode> extends CrowdLedgerError {
  /** The chaincode's code, narrowed to this class's. */
  declare readonly code: C;
}

/** The class of one chaincode code's errors. */
export type ChaincodeErrorClass<C extends ChaincodeErrorCode> = new (
  code: C,
  sentence: string,
  options?: CrowdLedgerErrorOptions,
) => ChaincodeError<C>;

// INSUFFICIENT_UNITS → InsufficientUnitsError
function className(code: string): string {
  const words = code.toLowerCase().split('_');
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Error`;
}

function classFor<C extends ChaincodeErrorCode>(code: C): ChaincodeErrorClass<C> {
  const named = { [className(code)]: class extends ChaincodeError<C> {} };
  return Object.values(named)[0] as ChaincodeErrorClass<C>;
}

/**
 * One class per chaincode code, made from the protocol's list, so a platform
 * can write `if (e instanceof ChaincodeErrors.INSUFFICIENT_UNITS) …` as well
 * as test `e.code`. Each class is named after its code (`InsufficientUnitsError`).
 */
export const ChaincodeErrors = Object.fromEntries(ERROR_CODES.map((code) => [code, classFor(code)])) as {
  readonly [C in ChaincodeErrorCode]: ChaincodeErrorClass<C>;
};

/** The typed error for a code the chaincode sent, named after its class (e.g. `UserExistsError`). */
export function chaincodeError<C extends ChaincodeErrorCode>(
  code: C,
  sentence: string,
  options: CrowdLedgerErrorOptions = {},
): ChaincodeError<C> {
  const ErrorClass: ChaincodeErrorClass<C> = ChaincodeErrors[code];
  const error = new ErrorClass(code, sentence, options);
  error.name = ErrorClass.name;
  return error;
}

/**
 * The error for a code: a chaincode code gets its own class (a
 * {@link ChaincodeError}); any other code the base class.
 */
export function errorFor(
  code: string,
  sentence: string,
  options: CrowdLedgerErrorOptions = {},
): CrowdLedgerError {
  return isChaincodeErrorCode(code)
    ? chaincodeError(code, sentence, options)
    : new CrowdLedgerError(code, sentence, options);
}

/** True for any error the SDK raised (including the asset-CA client's FabricCaError). */
export function isCrowdLedgerError(error: unknown): error is CrowdLedgerError {
  return error instanceof CrowdLedgerError;
}

/**
 * True when the error is a CrowdLedgerError with one of the codes; narrows
 * `code` to them: `if (hasErrorCode(e, 'USER_EXISTS')) …`.
 */
export function hasErrorCode<C extends CrowdLedgerErrorCode>(
  error: unknown,
  ...codes: readonly C[]
): error is CrowdLedgerError & { readonly code: C } {
  return isCrowdLedgerError(error) && (codes as readonly CrowdLedgerErrorCode[]).includes(error.code);
}

/** True when the chaincode refused the call: the code is one of the chaincode's. */
export function isChaincodeError(
  error: unknown,
): error is CrowdLedgerError & { readonly code: ChaincodeErrorCode } {
  return isCrowdLedgerError(error) && isChaincodeErrorCode(error.code);
}

/** True for the conflicts the SDK retries on submit: MVCC_READ_CONFLICT and ENDORSEMENT_MISMATCH. */
export function isRetryableError(error: unknown): error is CrowdLedgerError {
  return isCrowdLedgerError(error) && error.retryable;
}

/**
 * The peer wraps a chaincode failure as "chaincode response 500, CODE: sentence"
 * inside an endorser's error detail (and, for evaluate, in the message too).
 */
const CHAINCODE_MESSAGE = /chaincode response \d+, ([A-Z][A-Z0-9_]*): ([\s\S]*)$/;

interface Coded {
  readonly code: string;
  readonly sentence: string;
}

/** Reads "chaincode response 500, CODE: sentence" out of a peer's message. */
export function parseChaincodeMessage(message: string): Coded | undefined {
  const match = CHAINCODE_MESSAGE.exec(message);
  if (match?.[1] === undefined || match[2] === undefined) {
    return undefined;
  }
  return { code: match[1], sentence: match[2].trim() };
}

/**
 * Turns anything a gateway call throws into a CrowdLedgerError. The stage
 * comes from the gateway's error class (EndorseError, SubmitError,
 * CommitStatusError, CommitError); `stage` is used for the rest (a plain
 * GatewayError is what evaluate throws).
 */
export function toCrowdLedgerError(error: unknown, stage?: TransactionStage): CrowdLedgerError {
  if (isCrowdLedgerError(error)) {
    return error;
  }
  if (error instanceof CommitError) {
    const status = statusName(error.code);
    const sentence = `transaction ${error.transactionId} failed validation with ${status}`;
    return new CrowdLedgerError(status, sentence, {
      cause: error,
      transactionId: error.transactionId,
      stage: 'commit',
    });
  }
  if (error instanceof GatewayError) {
    return fromGatewayError(error, stageOf(error) ?? stage);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CrowdLedgerError(ClientErrorCode.unexpected, message, {
    cause: error,
    ...(stage === undefined ? {} : { stage }),
  });
}

function stageOf(error: GatewayError): TransactionStage | undefined {
  if (error instanceof EndorseError) {
    return 'endorse';
  }
  if (error instanceof CommitStatusError) {
    return 'commit';
  }
  // SubmitError is exported only as a type, so it is told apart by name.
  return error.name === 'SubmitError' ? 'submit' : undefined;
}

function fromGatewayError(error: GatewayError, stage: TransactionStage | undefined): CrowdLedgerError {
  const transactionId = 'transactionId' in error ? String(error.transactionId) : undefined;
  const options: CrowdLedgerErrorOptions = {
    cause: error,
    ...(transactionId === undefined ? {} : { transactionId }),
    ...(stage === undefined ? {} : { stage }),
  };
  const coded = chaincodeFailure(error.details, error.message);
  if (coded !== undefined) {
    return errorFor(coded.code, coded.sentence, options);
  }
  const code = isPayloadMismatch(error) ? ClientErrorCode.endorsementMismatch : gatewayCode(error);
  const sentence = describeGatewayError(error);
  return new CrowdLedgerError(
    code,
    stage === 'submit' ? `${ORDERING_FAILED}: ${sentence}` : sentence,
    options,
  );
}

/**
 * The gateway compares the endorsers' proposal responses and, when they
 * differ, fails the endorsement with ABORTED and an ErrorDetail per
 * disagreeing endorser whose message is exactly this (Fabric's
 * internal/pkg/gateway endorsement.go).
 */
export const PAYLOAD_MISMATCH = 'ProposalResponsePayloads do not match';

function isPayloadMismatch(error: GatewayError): boolean {
  return stageOf(error) === 'endorse' && error.details.some((d) => d.message.includes(PAYLOAD_MISMATCH));
}

// What a submit-stage failure means to the caller: gRPC's own words ("Call
// cancelled", "Deadline exceeded") do not say that the orderers were the ones
// that failed, nor why that is usual (no Raft quorum: fewer than a majority of
// the orderers up).
const ORDERING_FAILED =
  'the ordering service did not confirm the transaction (it needs a majority of its orderers up; ' +
  'after a timeout, check whether it committed before sending it again)';

function chaincodeFailure(details: readonly ErrorDetail[], message: string): Coded | undefined {
  for (const detail of details) {
    const coded = parseChaincodeMessage(detail.message);
    if (coded !== undefined) {
      return coded;
    }
  }
  return parseChaincodeMessage(message);
}

// gRPC status codes, from grpc's status.proto.
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

function gatewayCode(error: GatewayError): string {
  if (error.code === GRPC_DEADLINE_EXCEEDED) {
    return ClientErrorCode.timeout;
  }
  if (error.code === GRPC_UNAVAILABLE) {
    return ClientErrorCode.unavailable;
  }
  switch (stageOf(error)) {
    case 'endorse':
      return ClientErrorCode.endorseFailed;
    case 'commit':
      return ClientErrorCode.commitStatusFailed;
    case 'submit':
      return ClientErrorCode.submitFailed;
    default:
      return ClientErrorCode.gatewayFailed;
  }
}

function describeGatewayError(error: GatewayError): string {
  const nodes = error.details.map((d) => `${d.mspId} ${d.address}: ${d.message}`);
  return nodes.length === 0 ? error.message : `${error.message} (${nodes.join('; ')})`;
}

function statusName(code: number): string {
  const entry = Object.entries(StatusCode).find(([, value]) => value === code);
  return entry?.[0] ?? `TX_VALIDATION_${String(code)}`;
}
