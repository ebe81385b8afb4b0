import { X509Certificate } from 'node:crypto';
import { makeTestPki, type TestPki } from '../testing/pki';
import { encodeOid, extensionValues } from './der';

let pki: TestPki;

beforeAll(() => {
  pki = makeTestPki();
});

describe('encodeOid', () => {
  it.each([
    ['1.2.3.4.5.6.7.8.1', [0x2a, 3, 4, 5, 6, 7, 8, 1]],
    ['2.5.29.19', [0x55, 0x1d, 0x13]],
    ['1.2.840.10045.2.1', [0x2a, 0x86, 0x48, 0xce, 0x3d, 2, 1]],
  ])('encodes %s', (oid, bytes) => {
    expect([...encodeOid(oid)]).toEqual(bytes);
  });
});

describe('extensionValues', () => {
  it('finds the Fabric CA attribute extension', () => {
    const [value] = extensionValues(new X509Certificate(pki.holder).raw, '1.2.3.4.5.6.7.8.1');
    expect(JSON.parse(Buffer.from(value ?? []).toString('utf8'))).toEqual({
      attrs: { 'crowdledger.asset': 'A1', 'crowdledger.holder': 'U1', 'crowdledger.role': 'admin' },
    });
  });

  it('finds nothing for an OID the certificate lacks', () => {
    expect(extensionValues(new X509Certificate(pki.assetCa).raw, '1.2.3.4.5.6.7.8.1')).toEqual([]);
  });

  it.each([
    ['truncated', (der: Buffer) => der.subarray(0, 40)],
    ['not a sequence', (der: Buffer) => Buffer.concat([Buffer.from([0x04]), der.subarray(1)])],
    ['an indefinite length', () => Buffer.from([0x30, 0x80, 0x00, 0x00])],
    ['empty', () => Buffer.alloc(0)],
  ])('throws RangeError on %s DER', (_case, damage) => {
    const der = damage(new X509Certificate(pki.holder).raw);
    expect(() => extensionValues(der, '1.2.3.4.5.6.7.8.1')).toThrow(RangeError);
  });
});
