import {
  CommitError,
  CommitStatusError,
  EndorseError,
  type ErrorDetail,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';

/**
 * Codes the SDK itself raises. Chaincode codes (NOT_FOUND, FORBIDDEN, …) and
 * transaction validation codes (MVCC_READ_CONFLICT, …) pass through as sent,
 * so `code` is an open string.
 */
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
} as const;

// Fabric validation codes that a fresh attempt of the same call can pass.
const RETRYABLE = new Set(['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT']);

export interface CrowdLedgerErrorOptions {
  readonly cause?: unknown;
  readonly transactionId?: string;
}

export class CrowdLedgerError extends Error {
  readonly code: string;
  readonly sentence: string;
  readonly transactionId: string | undefined;

  constructor(code: string, sentence: string, options: CrowdLedgerErrorOptions = {}) {
    super(`${code}: ${sentence}`, { cause: options.cause });
    this.name = 'CrowdLedgerError';
    this.code = code;
    this.sentence = sentence;
    this.transactionId = options.transactionId;
  }

  /** True only for conflicts that Fabric says a retry can resolve. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isCrowdLedgerError(error: unknown): error is CrowdLedgerError {
  return error instanceof CrowdLedgerError;
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

export function parseChaincodeMessage(message: string): Coded | undefined {
  const match = CHAINCODE_MESSAGE.exec(message);
  if (match?.[1] === undefined || match[2] === undefined) {
    return undefined;
  }
  return { code: match[1], sentence: match[2].trim() };
}

/** Turns anything a gateway call throws into a CrowdLedgerError. */
export function toCrowdLedgerError(error: unknown): CrowdLedgerError {
  if (isCrowdLedgerError(error)) {
    return error;
  }
  if (error instanceof CommitError) {
    const status = statusName(error.code);
    const sentence = `transaction ${error.transactionId} failed validation with ${status}`;
    return new CrowdLedgerError(status, sentence, { cause: error, transactionId: error.transactionId });
  }
  if (error instanceof GatewayError) {
    return fromGatewayError(error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CrowdLedgerError(ClientErrorCode.unexpected, message, { cause: error });
}

function fromGatewayError(error: GatewayError): CrowdLedgerError {
  const transactionId = 'transactionId' in error ? String(error.transactionId) : undefined;
  const options = transactionId === undefined ? { cause: error } : { cause: error, transactionId };
  const coded = chaincodeFailure(error.details, error.message);
  if (coded !== undefined) {
    return new CrowdLedgerError(coded.code, coded.sentence, options);
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
  if (error instanceof EndorseError) {
    return ClientErrorCode.endorseFailed;
  }
  if (error instanceof CommitStatusError) {
    return ClientErrorCode.commitStatusFailed;
  }
  // SubmitError is exported only as a type, so it is told apart by name.
  return error.name === 'SubmitError' ? ClientErrorCode.submitFailed : ClientErrorCode.gatewayFailed;
}

function describeGatewayError(error: GatewayError): string {
  const nodes = error.details.map((d) => `${d.mspId} ${d.address}: ${d.message}`);
  return nodes.length === 0 ? error.message : `${error.message} (${nodes.join('; ')})`;
}

function statusName(code: number): string {
  const entry = Object.entries(StatusCode).find(([, value]) => value === code);
  return entry?.[0] ?? `TX_VALIDATION_${String(code)}`;
}
