import { verify, type X509Certificate } from 'node:crypto';
import {
  HOLDER_QUERY_MAX_SKEW_MINUTES,
  HOLDER_QUERY_NONCE,
  type HolderQueryRequest,
  holderQueryBytes,
} from '@crowdledger/protocol';
import { ChaincodeError, isChaincodeError } from '../values/errors';
import { fingerprintOf } from '../values/certificates';
import {
  parseJsonArgument,
  requireFields,
  requireInstant,
  requireSha256Hex,
  requireText,
} from '../values/guards';
import { requireAssetId } from '../values/ids';
import type { HolderKey } from '../model/caller';

const MAX_REQUEST_LENGTH = 1024;
const MAX_SIGNATURE_LENGTH = 256;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SKEW_MS = HOLDER_QUERY_MAX_SKEW_MINUTES * 60_000;

/**
 * A holder's query request (R4) read from the transient map. Any field
 * missing, extra or malformed is QUERY_REQUEST_INVALID; the sentence never
 * echoes the text.
 */
export function parseHolderQuery(text: string): HolderQueryRequest {
  return asQueryRequestError(() => {
    const fields = requireFields(
      parseJsonArgument(text, 'the query request', MAX_REQUEST_LENGTH),
      'the query request',
      ['assetId', 'fingerprint', 'requestedAt', 'nonce'],
    );
    return {
      assetId: requireAssetId(fields['assetId']),
      fingerprint: requireSha256Hex(fields['fingerprint'], 'fingerprint'),
      requestedAt: requireInstant(fields['requestedAt'], 'requestedAt'),
      nonce: requireText(fields['nonce'], 'nonce', {
        expected: '32 to 64 lower-case hex digits',
        pattern: HOLDER_QUERY_NONCE,
        maxLength: 64,
      }),
    };
  });
}

/**
 * The holder made this request with the certificate's private key: an
 * ECDSA P-256 / SHA-256 signature (DER, base64) over its canonical bytes.
 * Checked before anything about the holding, so whoever holds only a copy
 * of the certificate learns nothing, not even whether it was revoked.
 */
export function requireHolderSignature(
  cert: X509Certificate,
  request: HolderQueryRequest,
  signature: string,
): void {
  const trimmed = signature.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_SIGNATURE_LENGTH || !BASE64.test(trimmed)) {
    throw new ChaincodeError(
      'QUERY_SIGNATURE_INVALID',
      'the signature must be base64 DER, at most 256 characters',
    );
  }
  let valid: boolean;
  try {
    valid = verify('sha256', holderQueryBytes(request), cert.publicKey, Buffer.from(trimmed, 'base64'));
  } catch {
    // A key type verify cannot use, or bytes that are no DER signature: either way not the holder's.
    valid = false;
  }
  if (!valid) {
    throw new ChaincodeError(
      'QUERY_SIGNATURE_INVALID',
      "the query request's signature does not verify under the certificate's key",
    );
  }
}

/** The request is bound to this certificate and made within the skew of the proposal's time. */
export function requireBoundAndFresh(cert: X509Certificate, request: HolderQueryRequest, at: Date): void {
  if (request.fingerprint !== fingerprintOf(cert)) {
    throw new ChaincodeError('QUERY_REQUEST_INVALID', 'the query request names another certificate');
  }
  const skew = Math.abs(at.getTime() - Date.parse(request.requestedAt));
  if (skew > SKEW_MS) {
    throw new ChaincodeError(
      'QUERY_REQUEST_STALE',
      `the query request was made at ${request.requestedAt}, more than ${String(HOLDER_QUERY_MAX_SKEW_MINUTES)} minutes from the proposal time ${at.toISOString()}: sign a new one`,
    );
  }
}

/** The request asks about the asset the certificate is for, and no other. */
export function requireSameAsset(request: HolderQueryRequest, holding: HolderKey): void {
  if (request.assetId !== holding.assetId) {
    throw new ChaincodeError(
      'QUERY_REQUEST_INVALID',
      `this certificate is for another asset than ${request.assetId}`,
    );
  }
}

function asQueryRequestError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isChaincodeError(error) && error.code === 'INVALID_ARGUMENT') {
      throw new ChaincodeError('QUERY_REQUEST_INVALID', error.sentence, { cause: error });
    }
    throw error;
  }
}
