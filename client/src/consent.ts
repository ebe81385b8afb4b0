// The user's consent (R7), as the SDK builds it: a request with a fresh ID
// and an expiry, its canonical bytes signed by the user's key (or by
// whatever device holds it), and the two transaction arguments the chaincode
// verifies. The bytes come from @crowdledger/protocol, as the chaincode's do.
import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import {
  consentBytes,
  type ConsentParams,
  type ConsentRequest,
  consentText,
  INSTANT_EXPECTED,
  isInstant,
  MAX_CONSENT_LIFETIME_MS,
  PROPOSAL_TIME_WINDOW_MS,
  REQUEST_ID_FORMAT,
  SIGNATURE_BYTES,
  type SignedAction,
  toBase64url,
} from '@crowdledger/protocol';
import { ClientErrorCode, CrowdLedgerError } from './errors';

/**
 * Signs the canonical bytes of a request for the user: returns the ES256
 * signature (ECDSA P-256, SHA-256) as 64 bytes r‖s, IEEE P1363 — what
 * WebCrypto's `sign` returns; a WebAuthn authenticator's DER signature must
 * be converted. It may forward the bytes to the user's phone or USB key and
 * wait: the platform never holds the private key. The bytes are canonical
 * JSON, so a device can show the user what they sign.
 */
export type ConsentSigner = (request: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/**
 * A {@link ConsentSigner} over a P-256 private key held here: a KeyObject, or
 * PKCS#8 / SEC1 PEM text. For tests, the CLI's key files and demos; a
 * platform in production forwards to the user's device instead.
 */
export function consentSigner(privateKey: KeyObject | string): ConsentSigner {
  const key = typeof privateKey === 'string' ? readPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new CrowdLedgerError(
      ClientErrorCode.invalidOptions,
      'a transaction key must be an ECDSA P-256 private key',
    );
  }
  return (request) => sign('sha256', request, { key, dsaEncoding: 'ieee-p1363' });
}

function readPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new CrowdLedgerError(
      ClientErrorCode.invalidOptions,
      'the transaction key is not a PEM private key',
      {
        cause,
      },
    );
  }
}

/** An instant: ISO-8601 text in the ledger's form, or a Date. */
export type Instant = string | Date;

/**
 * The ledger's text of an instant (`2026-01-31T08:00:00.000Z`). A Date is
 * written with toISOString; text must already be in that form and name a
 * real moment (`2026-13-01…` and `2026-02-30…` are refused). Throws
 * INVALID_ARGUMENT, the code the chaincode would answer with.
 */
export function isoInstant(instant: Instant, name = 'instant'): string {
  const text =
    typeof instant === 'string' || Number.isNaN(instant.getTime()) ? instant : instant.toISOString();
  if (!isInstant(text)) {
    throw new CrowdLedgerError('INVALID_ARGUMENT', `${name} must be ${INSTANT_EXPECTED}`);
  }
  return text;
}

/** The options of every call that moves or escrows a user's units. */
export interface ConsentOptions {
  /** Signs the request for the user whose units move (see {@link ConsentSigner}). */
  readonly signer: ConsentSigner;
  /**
   * The request's ID, unique per user: a fresh random UUID when absent.
   * Give your own to make a retry after an unknown outcome safe: the ledger
   * refuses a second run with CONSENT_REPLAYED.
   */
  readonly requestId?: string;
  /**
   * When the signed request stops being accepted; the client's consent
   * lifetime from now when absent. The chaincode refuses it from one
   * proposal time window (30 seconds) before, and when it lies more than an
   * hour after the transaction's time.
   */
  readonly expiresAt?: Instant;
}

/** How a client dates the requests it builds. */
export interface ConsentSettings {
  /** A request's lifetime when the call gives no expiresAt. */
  readonly lifetimeMs: number;
  /** The clock requests are dated by. */
  now(): Date;
}

/** Five minutes: well beyond the 30-second proposal time window the chaincode subtracts. */
export const DEFAULT_CONSENT_LIFETIME_MS = 5 * 60_000;

/** Checks a consent lifetime option: longer than the time window, at most the chaincode's maximum. */
export function checkConsentLifetime(lifetimeMs: number): number {
  if (
    !Number.isSafeInteger(lifetimeMs) ||
    lifetimeMs <= PROPOSAL_TIME_WINDOW_MS ||
    lifetimeMs > MAX_CONSENT_LIFETIME_MS
  ) {
    throw new CrowdLedgerError(
      ClientErrorCode.invalidOptions,
      `consentLifetimeMs must be a whole number of milliseconds above ${String(PROPOSAL_TIME_WINDOW_MS)} and at most ${String(MAX_CONSENT_LIFETIME_MS)}`,
    );
  }
  return lifetimeMs;
}

/** The request a call makes: its ID and expiry chosen here unless the options give them. */
export function consentRequest<A extends SignedAction>(
  action: A,
  userId: string,
  params: ConsentParams<A>,
  options: Omit<ConsentOptions, 'signer'>,
  settings: ConsentSettings,
): ConsentRequest<A> {
  const requestId = options.requestId ?? randomUUID();
  if (!REQUEST_ID_FORMAT.pattern.test(requestId)) {
    throw new CrowdLedgerError('INVALID_ARGUMENT', `requestId must be ${REQUEST_ID_FORMAT.expected}`);
  }
  const expiresAt =
    options.expiresAt === undefined
      ? new Date(settings.now().getTime() + settings.lifetimeMs).toISOString()
      : isoInstant(options.expiresAt, 'expiresAt');
  return { action, params, userId, requestId, expiresAt };
}

/** Asks the signer for the request's signature and checks it is 64 bytes. */
async function signatureOf(request: ConsentRequest, signer: ConsentSigner): Promise<Uint8Array> {
  let signature: Uint8Array;
  try {
    signature = await signer(consentBytes(request));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CrowdLedgerError(ClientErrorCode.signerFailed, `the signer failed: ${reason}`, { cause });
  }
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) {
    throw new CrowdLedgerError(
      ClientErrorCode.signerFailed,
      `the signer must return an ES256 signature as ${String(SIGNATURE_BYTES)} bytes r‖s (IEEE P1363)`,
    );
  }
  return signature;
}

/** A consent transaction's two arguments: the request's canonical text and its signature, base64url. */
export async function signedArguments(request: ConsentRequest, signer: ConsentSigner): Promise<string[]> {
  return [consentText(request), toBase64url(await signatureOf(request, signer))];
}
