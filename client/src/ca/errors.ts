import { CaErrorCode, CrowdLedgerError } from '../errors';

export { CaErrorCode } from '../errors';

/** One entry of Fabric CA's `errors` array, e.g. `{code: 71, message: "Authorization failure"}`. */
export interface CaErrorDetail {
  /** Fabric CA's numeric code; {@link CaCode} names the ones the SDK acts on. */
  readonly code: number;
  /** Fabric CA's text for it. */
  readonly message: string;
}

/** What a {@link FabricCaError} carries besides its code and sentence. */
export interface FabricCaErrorOptions {
  /** The Fabric CA operation, e.g. `register`, `enroll`, `revoke`. */
  readonly operation: string;
  /** The HTTP status of Fabric CA's answer, when known (fabric-ca-client reports it only for an empty answer). */
  readonly httpStatus?: number;
  /** Fabric CA's `errors` array, when it sent one. */
  readonly details?: readonly CaErrorDetail[];
  /** The underlying error or the raw answer, for logs. */
  readonly cause?: unknown;
}

/** A failed Fabric CA call, with Fabric CA's own error codes when it gave some. */
export class FabricCaError extends CrowdLedgerError {
  /**
   * The Fabric CA operation that failed, e.g. `register`, `enroll`, `revoke`;
   * `validate` or `connect` when the input was refused before sending.
   */
  readonly operation: string;
  /**
   * The HTTP status of an empty answer; undefined otherwise, refusals
   * included: fabric-ca-client does not pass the status on.
   */
  readonly httpStatus: number | undefined;
  /** Fabric CA's `errors` entries, in its order; empty when it gave none. */
  readonly details: readonly CaErrorDetail[];

  constructor(code: string, sentence: string, options: FabricCaErrorOptions) {
    super(code, sentence, { cause: options.cause });
    this.name = 'FabricCaError';
    this.operation = options.operation;
    this.httpStatus = options.httpStatus;
    this.details = options.details ?? [];
  }

  /** Fabric CA's first error code (71 is its authorization failure), if it sent one. */
  get caCode(): number | undefined {
    return this.details[0]?.code;
  }
}

/** True for any {@link FabricCaError}: a Fabric CA call that failed, or input refused before one. */
export function isFabricCaError(error: unknown): error is FabricCaError {
  return error instanceof FabricCaError;
}

/** Fabric CA's error codes the SDK acts on (fabric-ca lib/caerrors). */
export const CaCode = {
  /** Enroll refused: wrong secret, enrollments used up, or a revoked identity. */
  authenticationFailure: 20,
  /** "Identity '…' is already registered". */
  identityAlreadyRegistered: 74,
  /** "Failed to get User": no such identity. */
  identityNotFound: 63,
  /** Authorization failure: the caller may not do this. */
  authorizationFailure: 71,
  /** "Certificate with serial … was already revoked". */
  certificateAlreadyRevoked: 66,
} as const;

type Fields = Partial<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function details(value: unknown): CaErrorDetail[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isFields).map((entry) => ({
    code: typeof entry['code'] === 'number' ? entry['code'] : 0,
    message: typeof entry['message'] === 'string' ? entry['message'] : '',
  }));
}

function describe(list: readonly CaErrorDetail[]): string {
  return list.length === 0
    ? 'no reason given'
    : list.map((d) => `Error Code: ${String(d.code)} - ${d.message}`).join('; ');
}

/** Where a failed call went, for the sentence of a {@link fromCaClientFailure}. */
export interface CaCallContext {
  /** The Fabric CA operation, e.g. `register`. */
  readonly operation: string;
  /** The server's origin, e.g. `https://127.0.0.1:7054`. */
  readonly origin: string;
  /** The idle timeout the call ran under. */
  readonly timeoutMs: number;
}

// fabric-ca-client's own sentences (lib/FabricCAClient.js request()): the only
// way it tells an unanswered call and a bad answer apart.
const NO_ANSWER = /^Calling \S+ endpoint failed/;
const TIMED_OUT = /CONNECTION Timeout|READ Timeout/;
const EMPTY_ANSWER = /failed with HTTP status code (\d+)/;

/**
 * Turns whatever a fabric-ca-client call rejected with into a
 * {@link FabricCaError}: CA_REFUSED with Fabric CA's codes and messages when
 * it answered `success: false` (the package copies its envelope onto the
 * Error), CA_UNREACHABLE when no answer came (connection, TLS, timeout), and
 * CA_BAD_RESPONSE for an answer that is not Fabric CA's envelope or lacks
 * what the package reads from it. The package hides the HTTP status except
 * for an empty answer, so `httpStatus` is undefined otherwise.
 */
export function fromCaClientFailure(failure: unknown, context: CaCallContext): FabricCaError {
  if (isFabricCaError(failure)) {
    return failure;
  }
  const { operation } = context;
  const message = failure instanceof Error ? failure.message : String(failure);
  if (isFields(failure) && failure['success'] === false) {
    return refusal(operation, failure);
  }
  if (NO_ANSWER.test(message)) {
    return unanswered(context, message, failure);
  }
  const status = EMPTY_ANSWER.exec(message)?.[1];
  const sentence = `Fabric CA ${operation} gave an answer fabric-ca-client could not read: ${message}`;
  return new FabricCaError(CaErrorCode.badResponse, sentence, {
    operation,
    ...(status === undefined ? {} : { httpStatus: Number(status) }),
    cause: failure,
  });
}

function unanswered(context: CaCallContext, message: string, failure: unknown): FabricCaError {
  const reason = TIMED_OUT.test(message) ? `no answer within ${String(context.timeoutMs)} ms` : message;
  const sentence = `Fabric CA at ${context.origin} did not answer ${context.operation}: ${reason}`;
  return new FabricCaError(CaErrorCode.unreachable, sentence, {
    operation: context.operation,
    cause: failure,
  });
}

function refusal(operation: string, failure: Fields): FabricCaError {
  const list = details(failure['errors']);
  const sentence = `Fabric CA refused ${operation}: ${describe(list)}`;
  return new FabricCaError(CaErrorCode.refused, sentence, { operation, details: list, cause: failure });
}

/** True when the error is Fabric CA refusing with the given code. */
export function isRefusedWith(error: unknown, caCode: number): boolean {
  return (
    isFabricCaError(error) &&
    error.code === CaErrorCode.refused &&
    error.details.some((detail) => detail.code === caCode)
  );
}
