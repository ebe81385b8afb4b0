import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCrowdLedgerError } from '../errors';
import { normaliseSerial, parseAttributeExtension, parseHolderCertificate } from './certificate';

const dir = mkdtempSync(join(tmpdir(), 'crowdledger-cert-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A CA and a leaf signed by it with openssl; the leaf carries Fabric CA's
 * attribute extension as raw JSON bytes (extnValue = the JSON, as Fabric CA writes it).
 */
function makeLeaf(name: string, extensionJson: string | undefined): string {
  if (!existsSync(join(dir, 'ca.pem'))) {
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
    openssl(
      'req',
      '-new',
      '-x509',
      '-key',
      'ca.key',
      '-subj',
      '/C=CN/O=registry/CN=assetca.registry',
      '-days',
      '2',
      '-out',
      'ca.pem',
    );
  }
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  openssl('req', '-new', '-key', `${name}.key`, '-subj', `/OU=client/CN=${name}`, '-out', `${name}.csr`);
  const ext =
    extensionJson === undefined
      ? ''
      : `1.2.3.4.5.6.7.8.1 = DER:${Buffer.from(extensionJson).toString('hex')}\n`;
  writeFileSync(join(dir, `${name}.ext`), `basicConstraints = critical,CA:FALSE\n${ext}`);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
  return readFileSync(join(dir, `${name}.pem`), 'utf8');
}

const attrsJson = JSON.stringify({
  attrs: { 'crowdledger.asset': 'A-9c', 'crowdledger.holder': 'U-3f', 'hf.EnrollmentID': 'holder.A-9c.U-3f' },
});

describe('parseHolderCertificate', () => {
  it('reads serial, fingerprint, names, validity and Fabric CA attributes of an openssl-made cert', () => {
    const pem = makeLeaf('holder.A-9c.U-3f', attrsJson);
    const parsed = parseHolderCertificate(pem);

    expect(parsed.attributes).toEqual({
      'crowdledger.asset': 'A-9c',
      'crowdledger.holder': 'U-3f',
      'hf.EnrollmentID': 'holder.A-9c.U-3f',
    });
    const serial = openssl('x509', '-in', 'holder.A-9c.U-3f.pem', '-noout', '-serial')
      .trim()
      .replace('serial=', '');
    expect(parsed.serial).toBe(normaliseSerial(serial));
    // The chaincode records Node's upper-case serial: the two must agree.
    expect(parsed.serial).toBe(new X509Certificate(pem).serialNumber.toUpperCase());
    const fingerprint = openssl('x509', '-in', 'holder.A-9c.U-3f.pem', '-noout', '-fingerprint', '-sha256');
    expect(parsed.fingerprint).toBe(fingerprint.trim().split('=')[1]?.replace(/:/g, '').toLowerCase());
    expect(parsed.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.issuer).toBe('C=CN, O=registry, CN=assetca.registry');
    expect(parsed.subject).toBe('OU=client, CN=holder.A-9c.U-3f');
    expect(parsed.notAfter.getTime() - parsed.notBefore.getTime()).toBe(24 * 3600 * 1000);
  });

  it('gives no attributes for a certificate without the extension', () => {
    expect(parseHolderCertificate(makeLeaf('plain', undefined)).attributes).toEqual({});
  });

  it('refuses a certificate whose attribute extension is not Fabric CA JSON', () => {
    const pem = makeLeaf('broken', '{"attrs":["not","an","object"]}');
    expect(() => parseHolderCertificate(pem)).toThrow(
      /INVALID_CERTIFICATE: .*1\.2\.3\.4\.5\.6\.7\.8\.1 has no "attrs" object/,
    );
  });

  it('refuses text that is not a certificate', () => {
    try {
      parseHolderCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      throw new Error('accepted');
    } catch (error) {
      expect(isCrowdLedgerError(error) && error.code).toBe('INVALID_CERTIFICATE');
    }
  });
});

describe('parseAttributeExtension', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('reads {"attrs":{…}}', () => {
    expect(parseAttributeExtension(bytes('{"attrs":{"a":"1","b":""}}'))).toEqual({ a: '1', b: '' });
  });

  it.each([
    ['not JSON', 'attrs=a', /is not JSON/],
    ['no attrs', '{"other":{}}', /has no "attrs" object/],
    ['a non-string value', '{"attrs":{"a":1}}', /gives a a number, not a string/],
    ['null', 'null', /has no "attrs" object/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseAttributeExtension(bytes(text))).toThrow(message);
  });
});

describe('normaliseSerial', () => {
  it.each([
    ['697109334f0d254b317fe33bfdce09b0b23a5850', '697109334F0D254B317FE33BFDCE09B0B23A5850'],
    ['abc', '0ABC'],
    ['00ff', 'FF'],
    ['0x1F', '1F'],
    ['12:ab:CD', '12ABCD'],
    ['0', '00'],
  ])('writes %s as %s', (input, expected) => {
    expect(normaliseSerial(input)).toBe(expected);
  });

  it('refuses non-hex', () => {
    expect(() => normaliseSerial('12g')).toThrow(/INVALID_CERTIFICATE/);
  });
});
