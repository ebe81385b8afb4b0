import { generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  CURVE_ORDERS,
  encodeEcdsaSignature,
  isLowS,
  P256_ORDER,
  parseEcdsaSignature,
  signLowS,
  toLowS,
} from './ecdsa';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const data = Buffer.from('POST.L2FwaS92MS9yZWdpc3Rlcg==..Y2VydA==');

/** A genuine signature over `data`, forced into its high-S mirror image. */
function highSSignature(): Buffer {
  const { r, s } = parseEcdsaSignature(sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }));
  const high = s > P256_ORDER / 2n ? s : P256_ORDER - s;
  return encodeEcdsaSignature({ r, s: high });
}

function verifies(der: Uint8Array): boolean {
  return verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der);
}

describe('DER ECDSA signatures', () => {
  it('encodes minimal INTEGERs, with a zero byte before a set top bit', () => {
    expect(encodeEcdsaSignature({ r: 1n, s: 0x80n }).toString('hex')).toBe('3007020101020200' + '80');
    expect(parseEcdsaSignature(Buffer.from('3007020101020200' + '80', 'hex'))).toEqual({ r: 1n, s: 0x80n });
  });

  it.each([
    ['a wrong outer tag', '3107020101020200' + '80'],
    ['trailing bytes', '300602010102010100'],
    ['a truncated body', '3008020101020200'],
    ['a negative integer', '3006020181020101'],
    ['a third integer', '3009020101020101020101'],
  ])('refuses %s', (_what, hex) => {
    expect(() => parseEcdsaSignature(Buffer.from(hex, 'hex'))).toThrow(/malformed|positive/);
  });
});

describe('toLowS', () => {
  it('mirrors a crafted high-S signature to s = n - s, which still verifies', () => {
    const high = highSSignature();
    expect(verifies(high)).toBe(true);
    expect(isLowS(high)).toBe(false);

    const low = toLowS(high);
    expect(low.equals(high)).toBe(false);
    expect(isLowS(low)).toBe(true);
    expect(parseEcdsaSignature(low).s).toBe(P256_ORDER - parseEcdsaSignature(high).s);
    expect(parseEcdsaSignature(low).r).toBe(parseEcdsaSignature(high).r);
    expect(verifies(low)).toBe(true);
  });

  it('leaves a low-S signature as it is', () => {
    const low = toLowS(highSSignature());
    expect(toLowS(low).equals(low)).toBe(true);
  });

  it('treats s = n/2 as low and s = n/2 + 1 as high', () => {
    const half = P256_ORDER / 2n;
    expect(parseEcdsaSignature(toLowS(encodeEcdsaSignature({ r: 5n, s: half }))).s).toBe(half);
    expect(parseEcdsaSignature(toLowS(encodeEcdsaSignature({ r: 5n, s: half + 1n }))).s).toBe(
      P256_ORDER - half - 1n,
    );
  });
});

describe('signLowS', () => {
  it('always gives verifiable low-S signatures (P-256 and P-384)', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const order384 = CURVE_ORDERS['secp384r1'] ?? 0n;
    for (let i = 0; i < 40; i += 1) {
      const sig = signLowS(privateKey, data);
      expect(isLowS(sig)).toBe(true);
      expect(verifies(sig)).toBe(true);
      const sig384 = signLowS(p384.privateKey, data);
      expect(isLowS(sig384, order384)).toBe(true);
      expect(verify('sha256', data, { key: p384.publicKey, dsaEncoding: 'der' }, sig384)).toBe(true);
    }
  });

  it('refuses keys that are not ECDSA on a known curve', () => {
    const ed = generateKeyPairSync('ed25519');
    expect(() => signLowS(ed.privateKey, data)).toThrow(/ECDSA P-256 or P-384/);
  });
});
