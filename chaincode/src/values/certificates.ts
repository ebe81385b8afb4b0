import { createHash, X509Certificate } from 'node:crypto';
import { ChaincodeError } from './errors';
import { extensionValues } from './der';
import { requireUtf8 } from './guards';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g;
const MAX_PEM_LENGTH = 16_384;

/**
 * Certificates already parsed, by their PEM. The same few arrive in every
 * transaction (each platform's signer, the stored asset CA), and parsing
 * them again showed in every profile of the service under buys. A
 * parsed certificate never changes, so the cache changes no answer; the
 * oldest entry goes when it is full.
 */
const parsed = new Map<string, X509Certificate>();
const PARSED_LIMIT = 256;

function remember(pem: string, cert: X509Certificate): X509Certificate {
  if (parsed.size >= PARSED_LIMIT) {
    const oldest = parsed.keys().next();
    if (oldest.done !== true) parsed.delete(oldest.value);
  }
  parsed.set(pem, cert);
  return cert;
}

/**
 * Parses exactly one PEM certificate. X509Certificate silently reads only the
 * first block, so a bundle is refused rather than half-checked.
 */
export function parseCertificate(pem: string, what: string): X509Certificate {
  const known = parsed.get(pem);
  if (known !== undefined) return known;
  const blocks = pem.length <= MAX_PEM_LENGTH ? (pem.match(PEM_BLOCK) ?? []) : [];
  if (blocks.length !== 1) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `${what} must be exactly one PEM certificate`);
  }
  try {
    return remember(pem, new X509Certificate(pem));
  } catch (cause) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `${what} is not a well-formed X.509 certificate`, {
      cause,
    });
  }
}

/** A certificate that may sign others and is valid at the given time. */
export function requireCaCertificate(cert: X509Certificate, at: Date, what: string): X509Certificate {
  if (!cert.ca) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${what} is not a CA certificate (basicConstraints CA:FALSE)`,
    );
  }
  return requireCurrent(cert, at, what);
}

/** Inside its validity period at the given (transaction) time. */
export function requireCurrent(cert: X509Certificate, at: Date, what: string): X509Certificate {
  if (at < cert.validFromDate || at > cert.validToDate) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
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

/**
 * The subject's CN, where Fabric CA writes the enrollment ID; undefined when
 * there is none or more than one (a reader taking the first and one taking
 * the last would disagree).
 */
export function commonName(cert: X509Certificate): string | undefined {
  const names = cert.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice('CN='.length));
  return names.length === 1 ? names[0] : undefined;
}

/** SHA-256 of the DER bytes, lower-case hex without separators. */
export function fingerprintOf(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** Where Fabric CA writes enrolment attributes, as JSON {"attrs": {name: value}}. */
export const FABRIC_ATTRIBUTES_OID = '1.2.3.4.5.6.7.8.1';

/**
 * The Fabric CA attributes a certificate carries, read from the certificate
 * itself. A second copy of the extension is refused: readers that take the
 * first and readers that take the last would disagree.
 */
export function fabricAttributes(cert: X509Certificate, what: string): Readonly<Record<string, string>> {
  let values: Uint8Array[];
  try {
    values = extensionValues(cert.raw, FABRIC_ATTRIBUTES_OID);
  } catch (cause) {
    throw new ChaincodeError('CERTIFICATE_INVALID', `${what} cannot be read as DER`, { cause });
  }
  const [value, ...more] = values;
  if (value === undefined) {
    return {};
  }
  if (more.length > 0) {
    throw new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${what} carries the Fabric CA attribute extension twice`,
    );
  }
  return parseAttributes(value, what);
}

function parseAttributes(value: Uint8Array, what: string): Readonly<Record<string, string>> {
  const fail = (cause?: unknown): ChaincodeError =>
    new ChaincodeError(
      'CERTIFICATE_INVALID',
      `${what} has a Fabric CA attribute extension that is not {"attrs": {name: value}} JSON`,
      { cause },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(requireUtf8(value, 'attribute extension')) as unknown;
  } catch (cause) {
    throw fail(cause);
  }
  const attrs = isObject(parsed) ? parsed['attrs'] : undefined;
  if (!isObject(attrs) || !Object.values(attrs).every((entry) => typeof entry === 'string')) {
    throw fail();
  }
  return attrs as Readonly<Record<string, string>>;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
