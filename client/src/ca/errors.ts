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
  /** The HTTP status of Fabric CA's answer, when there was one. */
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
  /** The HTTP status when Fabric CA refused or sent something other than its envelope; else undefined. */
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

/**
 * Reads Fabric CA's response envelope `{success, result, errors, messages}`:
 * the `result` on success, a {@link FabricCaError} otherwise (CA_REFUSED with
 * Fabric CA's codes and messages, or CA_BAD_RESPONSE when it is not JSON).
 */
export function readCaResponse(operation: string, httpStatus: number, text: string): unknown {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (cause) {
    const sentence = `Fabric CA ${operation} answered HTTP ${String(httpStatus)} with a body that is not JSON`;
    throw new FabricCaError(CaErrorCode.badResponse, sentence, { operation, httpStatus, cause });
  }
  if (!isFields(envelope) || typeof envelope['success'] !== 'boolean') {
    const sentence = `Fabric CA ${operation} answered HTTP ${String(httpStatus)} without a success flag`;
    throw new FabricCaError(CaErrorCode.badResponse, sentence, { operation, httpStatus, cause: envelope });
  }
  if (!envelope['success'] || httpStatus >= 400) {
    const list = details(envelope['errors']);
    const sentence = `Fabric CA refused ${operation}: ${describe(list)}`;
    throw new FabricCaError(CaErrorCode.refused, sentence, {
      operation,
      httpStatus,
      details: list,
      cause: envelope,
    });
  }
  return envelope['result'];
}

/** True when the error is Fabric CA refusing with the given code. */
export function isRefusedWith(error: unknown, caCode: number): boolean {
  return (
    isFabricCaError(error) &&
    error.code === CaErrorCode.refused &&
    error.details.some((detail) => detail.code === caCode)
  );
}
