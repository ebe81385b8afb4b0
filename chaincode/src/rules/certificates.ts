import { X509Certificate } from 'node:crypto';
import { ChaincodeError } from '../errors';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;
const MAX_PEM_LENGTH = 16_384;

/**
 * Parses exactly one PEM certificate. X509Certificate silently reads only the
 * first block, so a bundle is refused rather than half-checked.
 */
export function parseCertificate(pem: string, what: string): X509Certificate {
  const blocks = pem.length <= MAX_PEM_LENGTH ? (pem.match(PEM_BLOCK) ?? []) : [];
  if (blocks.length !== 1) {
    throw new ChaincodeError('INVALID_CERTIFICATE', `${what} must be exactly one PEM certificate`);
  }
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    throw new ChaincodeError('INVALID_CERTIFICATE', `${what} is not a well-formed X.509 certificate`, {
      cause,
    });
  }
}

/** A certificate that may sign others and is valid at the given time. */
export function requireCaCertificate(cert: X509Certificate, at: Date, what: string): X509Certificate {
  if (!cert.ca) {
    throw new ChaincodeError(
      'INVALID_CERTIFICATE',
      `${what} is not a CA certificate (basicConstraints CA:FALSE)`,
    );
  }
  if (at < cert.validFromDate || at > cert.validToDate) {
    throw new ChaincodeError(
      'INVALID_CERTIFICATE',
      `${what} is valid from ${cert.validFromDate.toISOString()} to ${cert.validToDate.toISOString()}, not at ${at.toISOString()}`,
    );
  }
  return cert;
}

/** Names match and the CA's key made the signature: a name alone is forgeable. */
export function isIssuedBy(cert: X509Certificate, ca: X509Certificate): boolean {
  try {
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    // verify throws on key types it cannot use; that is simply "not issued by".
    return false;
  }
}

/** One-line distinguished name for display, in the certificate's own order. */
export function distinguishedName(multiline: string): string {
  return multiline.split('\n').filter(Boolean).join(', ');
}
