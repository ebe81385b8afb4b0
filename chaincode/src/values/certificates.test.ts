import { X509Certificate } from 'node:crypto';
import { makeTestPki, type TestPki } from '../testing/pki';
import { createHash } from 'node:crypto';
import {
  distinguishedName,
  fabricAttributes,
  fingerprintOf,
  isIssuedBy,
  parseCertificate,
  requireCaCertificate,
} from './certificates';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

describe('parseCertificate', () => {
  it('parses one PEM certificate', () => {
    expect(parseCertificate(pki.assetCa, 'ca').subject).toContain('CN=asset-ca');
  });

  it('refuses a bundle, which X509Certificate would half-read', () => {
    expect(() => parseCertificate(pki.assetCa + pki.holder, 'ca')).toThrow(
      'CERTIFICATE_INVALID: ca must be exactly one PEM certificate',
    );
  });

  it.each(['', 'hello', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'])(
    'refuses %j',
    (pem) => {
      expect(() => parseCertificate(pem, 'ca')).toThrow(/^CERTIFICATE_INVALID: ca /);
    },
  );

  it('parses a PEM it has seen once, and still refuses what it refused, however often asked', () => {
    const first = parseCertificate(pki.holder, 'holder');
    expect(parseCertificate(pki.holder, 'holder')).toBe(first);
    const bad = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    for (let i = 0; i < 3; i++) {
      expect(() => parseCertificate(bad, 'ca')).toThrow(/^CERTIFICATE_INVALID: ca /);
      expect(() => parseCertificate(pki.assetCa + pki.holder, 'ca')).toThrow(/exactly one PEM/);
    }
  });

  it('still answers every certificate after more have passed than it keeps', () => {
    const holder = parseCertificate(pki.holder, 'holder');
    // Variants of one PEM (line breaks moved) are distinct keys that parse to the same certificate.
    const body = pki.assetCa.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
    for (let width = 4; width < 400; width++) {
      const lines = body.match(new RegExp(`.{1,${String(width)}}`, 'g')) ?? [];
      const pem = `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
      expect(parseCertificate(pem, 'ca').subject).toContain('CN=asset-ca');
    }
    expect(parseCertificate(pki.holder, 'holder').fingerprint256).toBe(holder.fingerprint256);
  });
});

describe('requireCaCertificate', () => {
  // A minute into validity: the certificates were made moments ago.
  const inside = (cert: X509Certificate): Date => new Date(cert.validFromDate.getTime() + 60_000);

  it('accepts a CA certificate inside its validity', () => {
    const ca = new X509Certificate(pki.assetCa);
    expect(requireCaCertificate(ca, inside(ca), 'ca')).toBe(ca);
  });

  it('refuses an end-entity certificate', () => {
    const holder = new X509Certificate(pki.holder);
    expect(() => requireCaCertificate(holder, inside(holder), 'ca')).toThrow(
      'CERTIFICATE_INVALID: ca is not a CA certificate',
    );
  });

  it('refuses a CA outside its validity at the given time', () => {
    const later = new Date(Date.UTC(2100, 0, 1));
    expect(() => requireCaCertificate(new X509Certificate(pki.assetCa), later, 'ca')).toThrow(
      /^CERTIFICATE_INVALID: ca is valid from .* not at 2100-01-01T00:00:00.000Z$/,
    );
  });
});

describe('isIssuedBy', () => {
  it('accepts a certificate signed by the CA', () => {
    expect(isIssuedBy(new X509Certificate(pki.holder), new X509Certificate(pki.assetCa))).toBe(true);
  });

  it('refuses a certificate from another CA with the same name', () => {
    expect(isIssuedBy(new X509Certificate(pki.forgedHolder), new X509Certificate(pki.assetCa))).toBe(false);
  });

  it('refuses a certificate from an unrelated CA', () => {
    expect(isIssuedBy(new X509Certificate(pki.registryUser), new X509Certificate(pki.assetCa))).toBe(false);
  });
});

describe('distinguishedName', () => {
  it('joins the lines node prints', () => {
    expect(distinguishedName('O=Registry\nCN=asset-ca')).toBe('O=Registry, CN=asset-ca');
  });
});

describe('fabricAttributes', () => {
  it('reads the attributes Fabric CA wrote into the certificate', () => {
    expect(fabricAttributes(new X509Certificate(pki.holder), 'cert')).toEqual({
      'crowdledger.asset': 'A1',
      'crowdledger.holder': 'U1',
      'crowdledger.role': 'admin',
    });
  });

  it('gives none for a certificate without the extension', () => {
    expect(fabricAttributes(new X509Certificate(pki.assetCa), 'cert')).toEqual({});
  });
});

describe('fingerprintOf', () => {
  it("is the SHA-256 of the DER bytes in lower-case hex, openssl's fingerprint without colons", () => {
    const cert = new X509Certificate(pki.holder);
    expect(fingerprintOf(cert)).toBe(createHash('sha256').update(cert.raw).digest('hex'));
    expect(fingerprintOf(cert)).toBe(cert.fingerprint256.replaceAll(':', '').toLowerCase());
  });
});
