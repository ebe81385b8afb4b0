import { webcrypto } from 'node:crypto';
import { x509 } from './x509';

/** A fresh key pair's certificate request and private key. */
export interface KeyAndCsr {
  /** PEM PKCS#10 request, subject CN = the enrollment ID, signed by the new key. */
  readonly csrPem: string;
  /** The new private key as unencrypted PKCS#8 PEM: keep it secret. */
  readonly privateKeyPem: string;
}

const P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * Generates a P-256 key pair and a certificate request for it, subject CN the
 * enrollment ID: Fabric CA refuses any other CN ("The CSR subject common name
 * must equal the enrollment ID"). A holder's own device can call this to keep
 * its key (see HolderCertificateRequest.csr).
 */
export async function createKeyAndCsr(enrollmentId: string): Promise<KeyAndCsr> {
  const keys = await webcrypto.subtle.generateKey(P256, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    // The JSON form needs no escaping of DN special characters.
    name: [{ CN: [enrollmentId] }],
    keys,
    signingAlgorithm: P256,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    csrPem: csr.toString('pem'),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}
