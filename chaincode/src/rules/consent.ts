import {
  type ConsentRequest,
  decodeSignature,
  isConsentFor,
  MAX_CONSENT_LIFETIME_MS,
  readConsentRequest,
  type SignedAction,
  verifyConsentSignature,
} from '@crowdledger/protocol';
import type { TransactionKey } from '../model/transaction-key';
import { closesAt, surelyBefore } from '../values/deadlines';
import { ChaincodeError } from '../values/errors';

/**
 * R7: the user's consent, as the transaction's arguments carry it. Pure
 * functions of their inputs: the same on every endorser. The protocol
 * package reads requests and verifies signatures, so the chaincode, the SDK
 * and `ledger verify --consents` agree on every byte.
 */

/** A request read from a transaction's arguments, with the exact text signed and the signature. */
export interface SignedRequest<A extends SignedAction = SignedAction> {
  readonly request: ConsentRequest<A>;
  /** The argument as sent: the canonical text whose UTF-8 bytes were signed. */
  readonly text: string;
  /** ES256 r‖s, base64url. */
  readonly signature: string;
}

const SIGNATURE_EXPECTED =
  'signature must be an ES256 signature as 64 bytes r‖s (IEEE P1363) in base64url without padding';

/**
 * Reads the request and signature arguments and checks the request was
 * signed for this transaction: a request for one act never runs as another.
 */
export function readSignedRequest<A extends SignedAction>(
  text: unknown,
  signature: unknown,
  action: A,
): SignedRequest<A> {
  const reading = readConsentRequest(typeof text === 'string' ? text : '');
  if (!reading.ok) {
    throw new ChaincodeError('CONSENT_MALFORMED', `the signed request cannot be read: ${reading.problem}`);
  }
  if (typeof signature !== 'string' || decodeSignature(signature) === undefined) {
    throw new ChaincodeError('CONSENT_MALFORMED', SIGNATURE_EXPECTED);
  }
  const { request } = reading;
  if (!isConsentFor(request, action)) {
    throw new ChaincodeError(
      'CONSENT_ACTION_MISMATCH',
      `request ${request.requestId} of ${request.userId} was signed for ${request.action}, not ${action}`,
    );
  }
  return { request, text: text as string, signature };
}

/**
 * The request is taken only while the transaction's time is more than one
 * proposal time window before its expiry (values/deadlines.ts), and only
 * when it expires within the maximum lifetime: a platform cannot hold a
 * user's signature for later use.
 */
export function requireFresh(request: ConsentRequest, at: Date): void {
  const { requestId, userId, expiresAt } = request;
  if (!surelyBefore(at, expiresAt)) {
    throw new ChaincodeError(
      'CONSENT_EXPIRED',
      `request ${requestId} of ${userId} expires at ${expiresAt} and is refused from ${closesAt(expiresAt)} (one proposal time window earlier); this transaction is dated ${at.toISOString()}`,
    );
  }
  if (Date.parse(expiresAt) - at.getTime() > MAX_CONSENT_LIFETIME_MS) {
    throw new ChaincodeError(
      'CONSENT_LIFETIME_EXCEEDED',
      `request ${requestId} of ${userId} expires at ${expiresAt}, more than ${String(MAX_CONSENT_LIFETIME_MS / 60_000)} minutes after this transaction's time ${at.toISOString()}`,
    );
  }
}

/** True when the request's signature verifies under the key. */
export function isSignedBy(signed: SignedRequest, key: TransactionKey): boolean {
  return verifyConsentSignature(key.publicKey, signed.text, signed.signature);
}

/**
 * Why a signature that does not verify under the user's key is refused: a
 * key the user had before (retired), or anything else — a wrong key,
 * another user's key and an altered request are one fact to a verifier.
 */
export function signatureRefusal(
  signed: SignedRequest,
  current: TransactionKey,
  retired: readonly TransactionKey[],
): ChaincodeError {
  const { requestId, userId } = signed.request;
  const old = retired.find((key) => isSignedBy(signed, key));
  if (old !== undefined) {
    return new ChaincodeError(
      'CONSENT_KEY_RETIRED',
      `request ${requestId} is signed with key ${old.keyId}, which ${userId} had until it was replaced; only their current key ${current.keyId} is accepted`,
    );
  }
  return new ChaincodeError(
    'CONSENT_SIGNATURE_INVALID',
    `request ${requestId} is not signed by the transaction key ${current.keyId} of ${userId}: it was signed with another key, or altered after signing`,
  );
}

/** The request's user must be the user whose units the act concerns. */
export function requireConsentingUser(request: ConsentRequest, userId: string, what: string): void {
  if (request.userId !== userId) {
    throw new ChaincodeError(
      'CONSENT_USER_MISMATCH',
      `request ${request.requestId} is signed by ${request.userId}, but ${what} is ${userId}'s`,
    );
  }
}

/** The terms the user signed must be those of the record acted on. */
export function requireSignedTerms(
  request: ConsentRequest,
  terms: Readonly<Record<string, { readonly signed: number; readonly actual: number }>>,
  record: string,
): void {
  for (const [name, { signed, actual }] of Object.entries(terms)) {
    if (signed !== actual) {
      throw new ChaincodeError(
        'CONSENT_TERMS_MISMATCH',
        `request ${request.requestId} of ${request.userId} was signed for ${name} ${String(signed)}, but ${record} has ${name} ${String(actual)}`,
      );
    }
  }
}

export function replayRefusal(request: ConsentRequest): ChaincodeError {
  return new ChaincodeError(
    'CONSENT_REPLAYED',
    `request ${request.requestId} of ${request.userId} has already run; a signed request runs once`,
  );
}
