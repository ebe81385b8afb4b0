import { createHash } from 'node:crypto';
import { CrowdLedgerError } from '../errors';
import { CaErrorCode } from './errors';
import { x509 } from './x509';

/** The extension Fabric CA writes identity attributes into, as JSON `{"attrs":{…}}`. */
export const FABRIC_ATTRIBUTES_OID = '1.2.3.4.5.6.7.8.1';

/** What a holder certificate says, in the forms the ledger records. */
export interface HolderCertificateInfo {
  /** Serial number, {@link normaliseSerial} form (as the chaincode records it). */
  readonly serial: string;
  /** SHA-256 of the DER certificate: lower-case hex, no colons. */
  readonly fingerprint: string;
  /** Issuer DN, e.g. `C=CN, O=registry, CN=assetca.registry`. */
  readonly issuer: string;
  /** Subject DN; Fabric CA puts the enrollment ID in its CN. */
  readonly subject: string;
  /** Start of the validity period. */
  readonly notBefore: Date;
  /** End of the validity period. */
  readonly notAfter: Date;
  /** Fabric CA attributes in the certificate (`crowdledger.asset`, `crowdledger.holder`, …). */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * One spelling of a serial number for the whole SDK: upper-case hex, whole
 * bytes, no leading zero bytes — what Node's X509Certificate (and so the
 * chaincode) and `openssl crl -text` print. Fabric CA's own `%x` form (no
 * leading zero nibble, lower-case) maps to the same string.
 */
export function normaliseSerial(hex: string): string {
  const digits = hex.trim().replace(/^0x/i, '').replace(/:/g, '');
  if (!/^[0-9a-fA-F]+$/.test(digits)) {
    throw new CrowdLedgerError(CaErrorCode.invalidCertificate, `serial ${JSON.stringify(hex)} is not hex`);
  }
  const trimmed = digits.replace(/^0+/, '');
  const even = trimmed.length % 2 === 1 ? `0${trimmed}` : trimmed;
  return (even === '' ? '00' : even).toUpperCase();
}

/** Reads a holder certificate (PEM) issued by Fabric CA. */
export function parseHolderCertificate(pem: string): HolderCertificateInfo {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch (cause) {
    throw new CrowdLedgerError(CaErrorCode.invalidCertificate, 'not a PEM X.509 certificate', { cause });
  }
  const extension = cert.getExtension(FABRIC_ATTRIBUTES_OID);
  return {
    serial: normaliseSerial(cert.serialNumber),
    fingerprint: createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex'),
    issuer: cert.issuer,
    subject: cert.subject,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    attributes: extension === null ? {} : parseAttributeExtension(new Uint8Array(extension.value)),
  };
}

/**
 * The authority key identifier of a certificate (lower-case hex), as Fabric
 * CA keys its certificate table: a registrar's own certificate names the
 * CA's key, which every certificate that CA issued names too.
 */
export function authorityKeyId(pem: string): string {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch (cause) {
    throw new CrowdLedgerError(CaErrorCode.invalidCertificate, 'not a PEM X.509 certificate', { cause });
  }
  const extension = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  if (extension?.keyId === undefined) {
    throw new CrowdLedgerError(
      CaErrorCode.invalidCertificate,
      'the certificate names no authority key identifier',
    );
  }
  return extension.keyId.toLowerCase();
}

/**
 * Reads the value of Fabric CA's attribute extension: UTF-8 JSON
 * `{"attrs":{"name":"value",…}}`. Anything else is an invalid certificate.
 */
export function parseAttributeExtension(value: Uint8Array): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value).toString('utf8'));
  } catch (cause) {
    throw invalidAttributes('is not JSON', cause);
  }
  const attrs = objectOrUndefined(objectOrUndefined(json)?.['attrs']);
  if (attrs === undefined) {
    throw invalidAttributes('has no "attrs" object');
  }
  const result: Record<string, string> = {};
  for (const [name, attrValue] of Object.entries(attrs)) {
    if (typeof attrValue !== 'string') {
      throw invalidAttributes(`gives ${name} a ${typeof attrValue}, not a string`);
    }
    result[name] = attrValue;
  }
  return result;
}

function objectOrUndefined(value: unknown): Partial<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function invalidAttributes(problem: string, cause?: unknown): CrowdLedgerError {
  return new CrowdLedgerError(
    CaErrorCode.invalidCertificate,
    `the certificate's attribute extension ${FABRIC_ATTRIBUTES_OID} ${problem}`,
    { cause },
  );
}
