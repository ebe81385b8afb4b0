// PKCS#12 through pkijs (PeculiarVentures, maintained, typed; the same
// family as @peculiar/x509). node-forge was the other candidate: its
// PKCS#12 writer takes only RSA keys (holder keys are P-256), always writes
// an HMAC-SHA1 MAC and leaves certificates unencrypted, and its 1.3 line has
// an open advisory (CVE-2026-33894). pkijs writes what OpenSSL 3 does by
// default: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for the key and the
// certificates, and an HMAC-SHA256 MAC — no 3DES, no RC2.
import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CrowdLedgerError } from '../errors';
import { CaErrorCode } from './errors';

/** What goes into a holder's PKCS#12 bundle, and the passphrase that protects it. */
export interface Pkcs12Input {
  /** The holder certificate (PEM); the first certificate in it is used. */
  readonly certificatePem: string;
  /** The certificate's private key, PEM (PKCS#8 or SEC1); stored as PKCS#8. */
  readonly privateKeyPem: string;
  /** The issuing CA chain (PEM, one or more certificates). */
  readonly caChainPem?: string;
  /** Encrypts the key and certificates and keys the MAC; must not be empty. */
  readonly passphrase: string;
  /** Name shown by key stores; the enrollment ID is a good one. */
  readonly friendlyName?: string;
  /** PBKDF2 and MAC iterations; 100 000 when absent. */
  readonly iterations?: number;
}

const OID = {
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
} as const;

const DEFAULT_ITERATIONS = 100_000;
const AES_256_CBC = { name: 'AES-CBC', length: 256 } as const;

// An engine of our own, so the SDK never changes pkijs' global one.
const engine = new pkijs.CryptoEngine({
  name: 'crowdledger-node',
  crypto: webcrypto,
});

/**
 * Bundles a holder's certificate, private key and CA chain into a
 * passphrase-protected PKCS#12 (.p12) file that wallets, browsers and
 * `openssl pkcs12` open.
 */
export async function toPkcs12(input: Readonly<Pkcs12Input>): Promise<Buffer> {
  if (input.passphrase.length === 0) {
    throw new CrowdLedgerError(CaErrorCode.invalidRequest, 'a PKCS#12 bundle needs a non-empty passphrase');
  }
  const protection: Protection = {
    password: new TextEncoder().encode(input.passphrase).buffer,
    iterations: input.iterations ?? DEFAULT_ITERATIONS,
  };
  const certificate = readCertificates(input.certificatePem)[0];
  if (certificate === undefined) {
    throw new CrowdLedgerError(
      CaErrorCode.invalidCertificate,
      'the holder certificate PEM holds no certificate',
    );
  }
  const chain = input.caChainPem === undefined ? [] : readCertificates(input.caChainPem);
  const attributes = bagAttributes(certificate, input.friendlyName);
  const keyBag = await shroudedKeyBag(input.privateKeyPem, attributes, protection);
  const certBags = [certBag(certificate, attributes), ...chain.map((c) => certBag(c, undefined))];
  return seal(certBags, keyBag, protection);
}

interface Protection {
  readonly password: ArrayBuffer;
  readonly iterations: number;
}

type EncryptionParams = Parameters<pkijs.PKCS8ShroudedKeyBag['makeInternalValues']>[0];

function encryption(protection: Protection): EncryptionParams {
  return {
    password: protection.password,
    contentEncryptionAlgorithm: AES_256_CBC,
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: protection.iterations,
  };
}

// Certificates go in an encrypted SafeContents (they name the holder), the
// already-shrouded key in a plain one; a SHA-256 MAC covers both.
async function seal(
  certBags: pkijs.SafeBag[],
  keyBag: pkijs.SafeBag,
  protection: Protection,
): Promise<Buffer> {
  const authenticatedSafe = new pkijs.AuthenticatedSafe({
    parsedValue: {
      safeContents: [
        { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
        { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [keyBag] }) },
      ],
    },
  });
  await authenticatedSafe.makeInternalValues({ safeContents: [encryption(protection), {}] }, engine);
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } });
  const { password, iterations } = protection;
  await pfx.makeInternalValues(
    { password, iterations, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' },
    engine,
  );
  return Buffer.from(pfx.toSchema().toBER(false));
}

function readCertificates(pem: string): pkijs.Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const der = Buffer.from(block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
    try {
      return pkijs.Certificate.fromBER(new Uint8Array(der));
    } catch (cause) {
      throw new CrowdLedgerError(CaErrorCode.invalidCertificate, 'a certificate in the PEM cannot be read', {
        cause,
      });
    }
  });
}

// localKeyId pairs the key with its certificate; the certificate's SHA-256 is
// unique and stable.
function bagAttributes(certificate: pkijs.Certificate, friendlyName: string | undefined): pkijs.Attribute[] {
  const der = certificate.toSchema().toBER(false);
  const keyId = createHash('sha256').update(new Uint8Array(der)).digest();
  const attributes = [
    new pkijs.Attribute({ type: OID.localKeyId, values: [new asn1js.OctetString({ valueHex: keyId })] }),
  ];
  if (friendlyName !== undefined) {
    attributes.push(
      new pkijs.Attribute({
        type: OID.friendlyName,
        values: [new asn1js.BmpString({ value: friendlyName })],
      }),
    );
  }
  return attributes;
}

function certBag(certificate: pkijs.Certificate, attributes: pkijs.Attribute[] | undefined): pkijs.SafeBag {
  return new pkijs.SafeBag({
    bagId: OID.certBag,
    bagValue: new pkijs.CertBag({ parsedValue: certificate }),
    ...(attributes === undefined ? {} : { bagAttributes: attributes }),
  });
}

async function shroudedKeyBag(
  privateKeyPem: string,
  attributes: pkijs.Attribute[],
  protection: Protection,
): Promise<pkijs.SafeBag> {
  let pkcs8: Buffer;
  try {
    pkcs8 = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  } catch (cause) {
    throw new CrowdLedgerError(CaErrorCode.invalidCertificate, 'the private key is not a PEM private key', {
      cause,
    });
  }
  const bag = new pkijs.PKCS8ShroudedKeyBag({
    parsedValue: pkijs.PrivateKeyInfo.fromBER(new Uint8Array(pkcs8)),
  });
  await bag.makeInternalValues(encryption(protection), engine);
  return new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: bag, bagAttributes: attributes });
}
