import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { canonicalBytes, canonicalJson, type JsonValue } from './canonical';
import { isUserId } from './ids';
import type { ContractName, TransactionName } from './names';
import { INSTANT_EXPECTED, isInstant } from './time';

/*
 * R7: the user's consent. A user holds a key pair (a phone app, a USB key, a
 * key file); the ledger keeps the public key. Every act that moves or
 * escrows their units runs only with their signature over the exact request,
 * and the request and signature are the transaction's arguments, so each
 * block keeps the proof and anyone can re-check it from the chain alone.
 *
 * The bytes signed are the request's canonical JSON (keys sorted at every
 * depth, no spaces, UTF-8), and the argument must be exactly those bytes: a
 * request written any other way is refused rather than re-serialised, so
 * what the verifier hashes is what the block holds.
 *
 * Signature: ES256 — ECDSA on P-256 with SHA-256 — as 64 bytes r‖s
 * (IEEE P1363, what WebCrypto returns; a WebAuthn authenticator's DER
 * signature must be converted), base64url without padding. Public keys:
 * the DER SubjectPublicKeyInfo of an uncompressed P-256 point, base64url.
 */

/** The acts that move or escrow a user's units, and so run only with the user's own signature over the exact request. */
export const CONSENT_ACTIONS = [
  'listings:Create',
  'listings:Cancel',
  'trades:Buy',
  'offers:Create',
  'offers:Accept',
  'offers:Cancel',
  'campaigns:Create',
  'campaigns:Commit',
  'campaigns:Withdraw',
] as const satisfies readonly { [C in ContractName]: `${C}:${TransactionName<C>}` }[ContractName][];

/** An act that needs the user's consent. */
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

/**
 * A key registration is signed too, by the new key: proof that the user
 * holds its private half (proof of possession).
 */
export const KEY_REGISTRATION_ACTION = 'keys:Register';

/** Every request a user signs: a consent action or a key registration. */
export type SignedAction = ConsentAction | typeof KEY_REGISTRATION_ACTION;

/** Every {@link SignedAction}. */
export const SIGNED_ACTIONS: readonly SignedAction[] = [...CONSENT_ACTIONS, KEY_REGISTRATION_ACTION];

/** Signature algorithms a transaction key may use; ES256 is what WebAuthn passkeys produce. */
export const CONSENT_ALGORITHMS = ['ES256'] as const;

/** A transaction key's algorithm. */
export type ConsentAlgorithm = (typeof CONSENT_ALGORITHMS)[number];

/**
 * Each act's parameters and their JSON types: everything that matters to
 * the user — listing, units, price, counterparty, deadline. The user is the
 * request's `userId` (the seller of a listing or offer, the buyer or
 * investor), so no parameter repeats it. A request must carry exactly these.
 */
export const CONSENT_PARAMS = {
  'listings:Create': {
    assetId: 'string',
    units: 'number',
    pricePerUnit: 'number',
    minPerBuyer: 'number',
    maxPerBuyer: 'number',
    expiresAt: 'string',
  },
  'listings:Cancel': { listingId: 'string' },
  'trades:Buy': { listingId: 'string', units: 'number', pricePerUnit: 'number' },
  'offers:Create': {
    assetId: 'string',
    buyerId: 'string',
    units: 'number',
    pricePerUnit: 'number',
    expiresAt: 'string',
  },
  'offers:Accept': { offerId: 'string', units: 'number', pricePerUnit: 'number' },
  'offers:Cancel': { offerId: 'string' },
  'campaigns:Create': {
    assetId: 'string',
    units: 'number',
    targetUnits: 'number',
    pricePerUnit: 'number',
    minPerInvestor: 'number',
    maxPerInvestor: 'number',
    deadline: 'string',
    // How an oversubscribed campaign allocates (CAMPAIGN_ALLOCATIONS); absent means FIRST_COME.
    allocation: 'string?',
  },
  'campaigns:Commit': { listingId: 'string', units: 'number', pricePerUnit: 'number' },
  'campaigns:Withdraw': { listingId: 'string' },
  'keys:Register': { publicKey: 'string', algorithm: 'string' },
} as const satisfies Readonly<Record<SignedAction, Readonly<Record<string, ParamSpec>>>>;

/** A parameter's JSON type; a trailing `?` makes it optional (added later, so older requests stay valid). */
type ParamSpec = 'string' | 'number' | 'string?' | 'number?';

type JsonTypeOf<T> = T extends 'number' | 'number?' ? number : string;

type SpecOf<A extends SignedAction> = (typeof CONSENT_PARAMS)[A];

type OptionalParams<S> = { [K in keyof S]: S[K] extends `${string}?` ? K : never }[keyof S];

/** The parameters of act `A`, typed. */
export type ConsentParams<A extends SignedAction> = {
  readonly [K in Exclude<keyof SpecOf<A>, OptionalParams<SpecOf<A>>>]: JsonTypeOf<SpecOf<A>[K]>;
} & {
  readonly [K in OptionalParams<SpecOf<A>>]?: JsonTypeOf<SpecOf<A>[K]>;
};

/**
 * What a user signs. It goes into the transaction's arguments and so stays in
 * the block as the user's proof of consent: IDs and amounts only, never a
 * name or an ID number.
 */
export interface ConsentRequest<A extends SignedAction = SignedAction> {
  /** The act, as `contract:Transaction`; it must be the transaction that carries the request. */
  readonly action: A;
  /** Every parameter that matters to the act ({@link CONSENT_PARAMS}). */
  readonly params: ConsentParams<A>;
  /** The user who consents; the signature must verify under their registered key. */
  readonly userId: string;
  /** Unique per user: the ledger records it, so the same request never runs twice. */
  readonly requestId: string;
  /**
   * The ledger's instant form. Refused from one proposal time window
   * (PROPOSAL_TIME_WINDOW_MS) before it, and when more than
   * {@link MAX_CONSENT_LIFETIME_MS} after the transaction's time.
   */
  readonly expiresAt: string;
}

/** The longest a request may stay valid: `expiresAt` at most this far after the transaction's time. */
export const MAX_CONSENT_LIFETIME_MS = 60 * 60_000;

/** A request's longest canonical text. */
export const MAX_CONSENT_REQUEST_LENGTH = 4096;

/** What a request ID looks like: a UUID fits, as does any 8 to 64 characters of this set. */
export const REQUEST_ID_FORMAT = {
  pattern: /^[A-Za-z0-9_.:-]{8,64}$/,
  expected: '8 to 64 characters of A-Z, a-z, 0-9, _, ., : or -',
} as const;

/** The canonical text of a request: the exact transaction argument, and what is signed. */
export function consentText(request: ConsentRequest): string {
  return canonicalJson(request as unknown as JsonValue);
}

/**
 * The exact bytes a user signs for a request: its canonical JSON (keys
 * sorted at every depth, UTF-8). Chaincode and client compute them the same
 * way, and a verifier re-checks them from the block alone.
 */
export function consentBytes(request: ConsentRequest): Uint8Array {
  return canonicalBytes(request as unknown as JsonValue);
}

/** A request read from its text, or what is wrong with it. */
export type ConsentReading =
  { readonly ok: true; readonly request: ConsentRequest } | { readonly ok: false; readonly problem: string };

const REQUEST_FIELDS = ['action', 'expiresAt', 'params', 'requestId', 'userId'];

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSignedAction(value: unknown): value is SignedAction {
  return SIGNED_ACTIONS.some((action) => action === value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function paramsProblem(action: SignedAction, params: unknown): string | undefined {
  const spec: Readonly<Record<string, ParamSpec>> = CONSENT_PARAMS[action];
  const names = Object.keys(spec);
  const required = names.filter((name) => spec[name]?.endsWith('?') === false);
  if (
    !isRecord(params) ||
    !required.every((name) => name in params) ||
    !Object.keys(params).every((name) => names.includes(name))
  ) {
    const optional = names.filter((name) => !required.includes(name));
    const more = optional.length === 0 ? '' : ` (and optionally ${optional.join(', ')})`;
    return `params of ${action} must be an object of exactly ${required.join(', ')}${more}`;
  }
  // JSON.parse reads 1e999 as Infinity, which no JSON text can hold.
  const fits = (value: unknown, type: string): boolean =>
    typeof value === type && (typeof value !== 'number' || Number.isFinite(value));
  const wrong = Object.keys(params).find((name) => !fits(params[name], typeOf(spec[name])));
  return wrong === undefined ? undefined : `params.${wrong} of ${action} must be a ${typeOf(spec[wrong])}`;
}

function typeOf(spec: ParamSpec | undefined): string {
  return (spec ?? '').replace('?', '');
}

function fieldsProblem(value: Readonly<Record<string, unknown>>): string | undefined {
  if (Object.keys(value).sort().join() !== REQUEST_FIELDS.join()) {
    return `the request must have exactly the fields ${REQUEST_FIELDS.join(', ')}`;
  }
  if (!isSignedAction(value['action'])) {
    return `action must be one of ${SIGNED_ACTIONS.join(', ')}`;
  }
  if (typeof value['userId'] !== 'string' || !isUserId(value['userId'])) {
    return 'userId must be a user ID: U followed by 32 lower-case hex digits';
  }
  const requestId = value['requestId'];
  if (typeof requestId !== 'string' || !REQUEST_ID_FORMAT.pattern.test(requestId)) {
    return `requestId must be ${REQUEST_ID_FORMAT.expected}`;
  }
  if (!isInstant(value['expiresAt'])) {
    return `expiresAt must be ${INSTANT_EXPECTED}`;
  }
  return paramsProblem(value['action'], value['params']);
}

/**
 * Reads a request from a transaction argument. The text must be exactly
 * the request's canonical form ({@link consentText}): keys sorted, no
 * spaces, numbers and strings as JSON.stringify writes them. The problem
 * never quotes the text back.
 */
export function readConsentRequest(text: string): ConsentReading {
  if (text.length === 0 || text.length > MAX_CONSENT_REQUEST_LENGTH) {
    return {
      ok: false,
      problem: `the request must be 1 to ${String(MAX_CONSENT_REQUEST_LENGTH)} characters of JSON`,
    };
  }
  const value = parseJson(text);
  if (!isRecord(value)) {
    return { ok: false, problem: 'the request is not a JSON object' };
  }
  const problem = fieldsProblem(value);
  if (problem !== undefined) {
    return { ok: false, problem };
  }
  if (canonicalJson(value as JsonValue) !== text) {
    return {
      ok: false,
      problem: 'the request is not in canonical form (keys sorted, no spaces, as consentText writes it)',
    };
  }
  return { ok: true, request: value as unknown as ConsentRequest };
}

/** True when the request is for act `A`, narrowing its params. */
export function isConsentFor<A extends SignedAction>(
  request: ConsentRequest,
  action: A,
): request is ConsentRequest<A> {
  return request.action === action;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function fromBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) {
    return undefined;
  }
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** Bytes as base64url without padding, the form of signatures and public keys. */
export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** An ES256 signature's length: r and s, 32 bytes each. */
export const SIGNATURE_BYTES = 64;

/** A signature argument's bytes, or undefined when it is not 64 bytes in base64url. */
export function decodeSignature(text: string): Uint8Array | undefined {
  const bytes = fromBase64url(text);
  return bytes?.length === SIGNATURE_BYTES ? bytes : undefined;
}

/** The transaction key's text form: its DER SubjectPublicKeyInfo, base64url. */
export function publicKeyText(key: KeyObject): string {
  return toBase64url(key.export({ type: 'spki', format: 'der' }));
}

// Every uncompressed P-256 SubjectPublicKeyInfo starts so: the algorithm
// (id-ecPublicKey, prime256v1), a 66-byte bit string, and 0x04.
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d03010703420004', 'hex');
const P256_SPKI_BYTES = 91;

/**
 * A P-256 public key from its text form; undefined for anything else. The
 * text must be the key's one canonical form (uncompressed point, exact
 * DER), so a key has one text and one {@link keyIdOf}.
 */
export function readPublicKey(text: string): KeyObject | undefined {
  const der = fromBase64url(text);
  if (der?.length !== P256_SPKI_BYTES || !der.subarray(0, P256_SPKI_PREFIX.length).equals(P256_SPKI_PREFIX)) {
    return undefined;
  }
  try {
    // Refuses a point that is not on the curve.
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** A transaction key's ID: SHA-256 of its DER SubjectPublicKeyInfo, lower-case hex. */
export function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex');
}

/**
 * True when `signature` (base64url r‖s) is the ES256 signature of the
 * request text's UTF-8 bytes under `publicKey` (base64url SPKI). The one
 * check the chaincode, the SDK and `ledger verify --consents` all make.
 */
export function verifyConsentSignature(publicKey: string, requestText: string, signature: string): boolean {
  const key = readPublicKey(publicKey);
  const bytes = decodeSignature(signature);
  if (key === undefined || bytes === undefined) {
    return false;
  }
  return verify('sha256', Buffer.from(requestText, 'utf8'), { key, dsaEncoding: 'ieee-p1363' }, bytes);
}
