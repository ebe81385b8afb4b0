// A holder's query (R4), signed on the holder's side. Holders are no channel
// identities: a platform or the registry relays the signed request as an
// evaluate, and the chaincode checks certificate, record, signature and time.
import { createPublicKey, randomBytes } from 'node:crypto';
import { type HolderQueryRequest, holderQueryBytes } from '@crowdledger/protocol';
import { ASSET_ATTRIBUTE } from '../ca/holder';
import { parseHolderCertificate } from '../ca/certificate';
import { signLowS } from '../ca/ecdsa';
import { ClientErrorCode, CrowdLedgerError } from '../errors';
import { parsePrivateKey, pemOrFile } from '../gateway';
import type { HolderCredentials } from './context';

/** A query request the holder signed: what a relay passes on, and all it ever sees of the holder. */
export interface SignedHolderQuery {
  /** The holder's asset certificate (PEM). */
  readonly certificatePem: string;
  /** The request: asset, certificate fingerprint, time and nonce. */
  readonly request: HolderQueryRequest;
  /** ECDSA P-256 SHA-256 over `holderQueryBytes(request)`, DER, base64. */
  readonly signature: string;
}

/** Options of {@link signHolderQuery}. */
export interface SignHolderQueryOptions {
  /** The request's time; now when absent. The chaincode accepts it within minutes of the proposal's. */
  readonly at?: Date;
}

/**
 * Signs a query request with the certificate's private key, on the holder's
 * side (their app, or a platform tool holding the key for them). The key
 * signs and is never sent; the result can be handed to any platform to relay
 * (`certificates.relayQuery`). INVALID_IDENTITY when the certificate names
 * no asset or the key is not its own.
 */
export async function signHolderQuery(
  holder: HolderCredentials,
  options: SignHolderQueryOptions = {},
): Promise<SignedHolderQuery> {
  const [certificate, keyPem] = await Promise.all([
    pemOrFile(holder.certificate, 'asset certificate'),
    pemOrFile(holder.privateKey, "asset certificate's private key"),
  ]);
  const certificatePem = certificate.toString('utf8');
  const info = parseHolderCertificate(certificatePem);
  const assetId = info.attributes[ASSET_ATTRIBUTE];
  if (assetId === undefined) {
    throw invalid(`the certificate has no ${ASSET_ATTRIBUTE} attribute: it is no asset certificate`);
  }
  const key = parsePrivateKey(
    keyPem,
    holder.privateKey.includes('-----BEGIN ') ? 'the private key' : holder.privateKey,
  );
  if (!samePublicKey(certificatePem, key)) {
    throw invalid("the private key is not the asset certificate's own");
  }
  const request: HolderQueryRequest = {
    assetId,
    fingerprint: info.fingerprint,
    requestedAt: (options.at ?? new Date()).toISOString(),
    nonce: randomBytes(16).toString('hex'),
  };
  const signature = signLowS(key, holderQueryBytes(request)).toString('base64');
  return { certificatePem, request, signature };
}

function samePublicKey(certificatePem: string, key: ReturnType<typeof parsePrivateKey>): boolean {
  const spki = (k: ReturnType<typeof createPublicKey>): string =>
    k.export({ type: 'spki', format: 'pem' }).toString();
  return spki(createPublicKey(certificatePem)) === spki(createPublicKey(key));
}

function invalid(sentence: string): CrowdLedgerError {
  return new CrowdLedgerError(ClientErrorCode.invalidIdentity, sentence);
}
