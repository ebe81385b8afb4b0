import { type KeyObject, sign } from 'node:crypto';

/**
 * Orders (n) of the curves Fabric identities use, by Node's curve name. An
 * ECDSA signature (r, s) is equally valid as (r, n − s); Fabric accepts only
 * the one with s ≤ n/2 ("low-S") so a signature can't be re-shaped in flight.
 */
export const CURVE_ORDERS: Readonly<Record<string, bigint>> = {
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  secp384r1:
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

/** The P-256 order, which Fabric CA and the network use. */
export const P256_ORDER = CURVE_ORDERS['prime256v1'] ?? 0n;

/** The two integers of a DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`. */
export interface EcdsaSignature {
  /** First integer: the x coordinate of the signer's nonce point, mod n. */
  readonly r: bigint;
  /** Second integer; Fabric accepts only s ≤ n/2 (see {@link toLowS}). */
  readonly s: bigint;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;

/** Reads a DER ECDSA signature; throws on anything that is not exactly one. */
export function parseEcdsaSignature(der: Uint8Array): EcdsaSignature {
  const reader = new DerReader(der);
  const body = reader.element(SEQUENCE);
  reader.end();
  const inner = new DerReader(body);
  const r = toBigInt(inner.element(INTEGER));
  const s = toBigInt(inner.element(INTEGER));
  inner.end();
  return { r, s };
}

/** Writes (r, s) as a DER ECDSA signature with minimal INTEGER encodings. */
export function encodeEcdsaSignature(signature: EcdsaSignature): Buffer {
  const body = Buffer.concat([
    derElement(INTEGER, integerBytes(signature.r)),
    derElement(INTEGER, integerBytes(signature.s)),
  ]);
  return derElement(SEQUENCE, body);
}

/**
 * Returns the low-S form of a DER ECDSA signature: when s > n/2, s becomes
 * n − s (the same signature, mirrored). A low-S signature comes back
 * re-encoded but equal.
 */
export function toLowS(der: Uint8Array, order: bigint = P256_ORDER): Buffer {
  const { r, s } = parseEcdsaSignature(der);
  return encodeEcdsaSignature({ r, s: s > order / 2n ? order - s : s });
}

/** True when the signature's s is at most half the curve order. */
export function isLowS(der: Uint8Array, order: bigint = P256_ORDER): boolean {
  return parseEcdsaSignature(der).s <= order / 2n;
}

/** Signs SHA-256(data) with an EC private key; the DER signature is low-S. */
export function signLowS(key: KeyObject, data: Uint8Array): Buffer {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const order = curve === undefined ? undefined : CURVE_ORDERS[curve];
  if (key.asymmetricKeyType !== 'ec' || order === undefined) {
    throw new Error(
      `an ECDSA P-256 or P-384 private key is required, not ${String(curve ?? key.asymmetricKeyType)}`,
    );
  }
  return toLowS(sign('sha256', data, { key, dsaEncoding: 'der' }), order);
}

function toBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0 || (bytes[0] ?? 0) >= 0x80) {
    throw new Error('ECDSA signature integers must be positive');
  }
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function integerBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) {
    hex = `0${hex}`;
  }
  const bytes = Buffer.from(hex, 'hex');
  // A set top bit would read as negative: DER then needs a leading zero.
  return (bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes;
}

function derElement(tag: number, body: Buffer): Buffer {
  const length = body.length;
  const header = length < 0x80 ? Buffer.of(tag, length) : Buffer.of(tag, 0x81, length);
  if (length > 0xff) {
    throw new Error('DER element too long for an ECDSA signature');
  }
  return Buffer.concat([header, body]);
}

/** Just enough DER to walk an ECDSA-Sig-Value (short and one-byte long lengths). */
class DerReader {
  readonly #bytes: Uint8Array;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  element(tag: number): Uint8Array {
    if (this.#bytes[this.#at] !== tag) {
      throw new Error(
        `malformed ECDSA signature: expected DER tag ${String(tag)} at byte ${String(this.#at)}`,
      );
    }
    let length = this.#byte(this.#at + 1);
    let start = this.#at + 2;
    if (length === 0x81) {
      length = this.#byte(start);
      start += 1;
    } else if (length > 0x80) {
      throw new Error('malformed ECDSA signature: unsupported DER length');
    }
    const end = start + length;
    if (end > this.#bytes.length) {
      throw new Error('malformed ECDSA signature: truncated');
    }
    this.#at = end;
    return this.#bytes.subarray(start, end);
  }

  end(): void {
    if (this.#at !== this.#bytes.length) {
      throw new Error('malformed ECDSA signature: trailing bytes');
    }
  }

  #byte(at: number): number {
    const value = this.#bytes[at];
    if (value === undefined) {
      throw new Error('malformed ECDSA signature: truncated');
    }
    return value;
  }
}
