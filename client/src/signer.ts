import { type KeyObject } from 'node:crypto';
import { hash, type Hash, type Signer } from '@hyperledger/fabric-gateway';
import { signLowS } from './ca/ecdsa';
import { ClientErrorCode, CrowdLedgerError } from './errors';

/**
 * The gateway's own P-256 signer computes ECDSA in JavaScript
 * (@noble/curves, ~330 µs a signature); OpenSSL through node:crypto takes a
 * tenth of that (client/bench/signer.ts measures both). node:crypto cannot
 * sign a digest someone else computed, so the gateway is told not to hash
 * (`hash.none`) and this signer hashes the whole message with SHA-256 while
 * signing: the signature is the same ECDSA-SHA256 one. Fabric refuses high-S
 * signatures, so S is normalised (client/src/ca/ecdsa.ts).
 */
export interface GatewaySigning {
  /** Pass as the gateway's `signer` option: signs the whole message, low-S. */
  readonly signer: Signer;
  /** Pass as the gateway's `hash` option together with `signer`. */
  readonly hash: Hash;
}

/** A low-S ECDSA SHA-256 signer over node:crypto for a P-256 (or P-384) private key. */
export function newLowSSigning(key: KeyObject): GatewaySigning {
  // Fails here, not at the first transaction, for a key of the wrong kind.
  try {
    signLowS(key, Buffer.alloc(0));
  } catch (cause) {
    const sentence = cause instanceof Error ? cause.message : String(cause);
    throw new CrowdLedgerError(ClientErrorCode.invalidIdentity, sentence, { cause });
  }
  return {
    signer: (message) => Promise.resolve(signLowS(key, message)),
    hash: hash.none,
  };
}
