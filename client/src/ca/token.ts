import { type KeyObject } from 'node:crypto';
import { signLowS } from './ecdsa';

/** What Fabric CA's token authentication signs for one request. */
export interface TokenRequest {
  /** HTTP method, upper-case. */
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/api/v1/identities/x?ca=assetca`. */
  readonly uri: string;
  /** The request body exactly as sent; empty for GET and DELETE. */
  readonly body: string;
  /** The caller's enrollment certificate (PEM). */
  readonly certPem: string;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * The string the token's signature covers (Fabric CA 1.4+, util.GenECDSAToken):
 * `METHOD.b64(uri).b64(body).b64(certPem)`.
 */
export function tokenPayload(request: TokenRequest): string {
  return `${request.method}.${b64(request.uri)}.${b64(request.body)}.${b64(request.certPem)}`;
}

/**
 * The `Authorization` header value for an authenticated Fabric CA call:
 * `b64(certPem).b64(DER ECDSA signature over SHA-256(payload))`. The
 * signature is low-S: Fabric CA refuses high-S ones.
 */
export function authToken(request: TokenRequest, key: KeyObject): string {
  const signature = signLowS(key, Buffer.from(tokenPayload(request), 'utf8'));
  return `${b64(request.certPem)}.${signature.toString('base64')}`;
}
