import { canonicalBytes } from './canonical';

/**
 * Holders are no channel identities (DESIGN §2): a holder's asset certificate
 * reaches the ledger only inside a query request the holder signed and a
 * platform (any platform) or the registry relayed as an evaluate, with the
 * certificate, the request and its signature in the transient map (R4).
 */

/** Written into every query request, so a holder's signature over one can never pass for anything else. */
export const HOLDER_QUERY_PURPOSE = 'crowdledger.holder-query.v1';

/**
 * How far, in minutes, a query request's `requestedAt` may lie from the
 * proposal's timestamp, either way. The relay chooses the proposal time
 * within the peers' own window (`peer.authentication.timewindow`), so a
 * captured request can be replayed for at most this window plus the peers'.
 */
export const HOLDER_QUERY_MAX_SKEW_MINUTES = 5;

/** How a holder signs a query request: ECDSA P-256 with SHA-256 over {@link holderQueryBytes}, DER, base64. */
export const HOLDER_QUERY_SIGNATURE = 'ES256-DER-base64';

/** Hex digits of a request's nonce: 128 to 256 random bits. */
export const HOLDER_QUERY_NONCE = /^[0-9a-f]{32,64}$/;

/** What a holder signs to read their own holding (R4). */
export interface HolderQueryRequest {
  /** The asset the certificate is for; the chaincode refuses any other. */
  readonly assetId: string;
  /** SHA-256 of the certificate's DER, lower-case hex: the request is bound to one certificate. */
  readonly fingerprint: string;
  /** ISO-8601 instant the holder made the request; see {@link HOLDER_QUERY_MAX_SKEW_MINUTES}. */
  readonly requestedAt: string;
  /** Fresh random hex ({@link HOLDER_QUERY_NONCE}): no two requests are the same bytes. */
  readonly nonce: string;
}

/**
 * The exact bytes a holder signs: the canonical JSON (keys sorted, UTF-8) of
 * the request with {@link HOLDER_QUERY_PURPOSE}. The chaincode and the client
 * compute them the same way.
 */
export function holderQueryBytes(request: HolderQueryRequest): Uint8Array {
  return canonicalBytes({
    assetId: request.assetId,
    fingerprint: request.fingerprint,
    nonce: request.nonce,
    purpose: HOLDER_QUERY_PURPOSE,
    requestedAt: request.requestedAt,
  });
}

/**
 * A holder's enrollment ID on the asset CA: `holder-` and 40 hex digits that
 * nobody but the issuing platform can work out in advance (so no other
 * registrar can register it first and block the issuance, R3). Fabric CA
 * writes it into the certificate's CN, and the ledger's record keeps it; the
 * chaincode accepts no other form, so a CN can never carry personal data.
 */
export const HOLDER_ENROLLMENT_ID = /^holder-[0-9a-f]{40}$/;

/** True for a well-formed holder enrollment ID. */
export function isHolderEnrollmentId(value: string): boolean {
  return HOLDER_ENROLLMENT_ID.test(value);
}
