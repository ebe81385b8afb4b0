import {
  CommitError,
  CommitStatusError,
  EndorseError,
  type ErrorDetail,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import { chaincodeError } from './chaincode-errors';
import {
  type ChaincodeErrorCode,
  ClientErrorCode,
  type CrowdLedgerErrorCode,
  isChaincodeErrorCode,
} from './codes';
import { CrowdLedgerError, type CrowdLedgerErrorOptions, type TransactionStage } from './error-base';

export { CrowdLedgerError, type CrowdLedgerErrorOptions, type TransactionStage } from './error-base';

export {
  type CaErrorCodeValue,
  type ChaincodeErrorCode,
  ClientErrorCode,
  type ClientErrorCodeValue,
  type CrowdLedgerErrorCode,
  isChaincodeErrorCode,
  isCrowdLedgerErrorCode,
  type ValidationErrorCode,
} from './codes';

/**
 * The error for a code: a chaincode code gets its own class (e.g.
 * `UserExistsError`, a {@link ChaincodeError}); any other code the base class.
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

/** True for MVCC_READ_CONFLICT, the one failure the SDK retries on submit. */
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
  return new CrowdLedgerError(gatewayCode(error), describeGatewayError(error), options);
}

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
