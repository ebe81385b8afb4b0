/**
 * Just enough DER to find one extension of an X.509 certificate. Node's
 * X509Certificate exposes no arbitrary extensions, and Fabric CA keeps
 * enrolment attributes in a private one (OID 1.2.3.4.5.6.7.8.1).
 */

interface Element {
  readonly tag: number;
  /** Offsets of the content, excluding tag and length. */
  readonly start: number;
  readonly end: number;
}

const SEQUENCE = 0x30;
const OBJECT_IDENTIFIER = 0x06;
const OCTET_STRING = 0x04;
const EXTENSIONS = 0xa3; // [3] EXPLICIT in TBSCertificate

function readElement(der: Uint8Array, offset: number, limit: number): Element {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) {
    throw new RangeError('DER element runs past its container');
  }
  const { length, octets } = readLength(der, offset + 2, first);
  const start = offset + 2 + octets;
  const end = start + length;
  if (!Number.isInteger(end) || end > limit) {
    throw new RangeError('DER element runs past its container');
  }
  return { tag, start, end };
}

/** Short form (one byte) or long form (0x80 | n, then n big-endian bytes). */
function readLength(der: Uint8Array, offset: number, first: number): { length: number; octets: number } {
  if ((first & 0x80) === 0) {
    return { length: first, octets: 0 };
  }
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4) {
    throw new RangeError('DER length is indefinite or too long');
  }
  let length = 0;
  for (let i = 0; i < octets; i += 1) {
    length = length * 256 + (der[offset + i] ?? Number.NaN);
  }
  return { length, octets };
}

function children(der: Uint8Array, parent: Element): Element[] {
  const found: Element[] = [];
  for (let offset = parent.start; offset < parent.end;) {
    const child = readElement(der, offset, parent.end);
    found.push(child);
    offset = child.end;
  }
  return found;
}

/** The content bytes of an OBJECT IDENTIFIER, e.g. 2A 03 04 … for 1.2.3.4… */
export function encodeOid(oid: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = oid.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const base128 = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      base128.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...base128);
  }
  return Uint8Array.from(bytes);
}

function sameBytes(der: Uint8Array, element: Element, expected: Uint8Array): boolean {
  const actual = der.subarray(element.start, element.end);
  return actual.length === expected.length && actual.every((byte, i) => byte === expected[i]);
}

/**
 * The value (OCTET STRING content) of every extension with this OID, in
 * certificate order. Throws RangeError on DER it cannot follow.
 */
export function extensionValues(der: Uint8Array, oid: string): Uint8Array[] {
  const certificate = readElement(der, 0, der.length);
  const [tbs] = children(der, certificate);
  if (certificate.tag !== SEQUENCE || tbs?.tag !== SEQUENCE) {
    throw new RangeError('not a DER certificate');
  }
  const wrapper = children(der, tbs).find((element) => element.tag === EXTENSIONS);
  const [list] = wrapper === undefined ? [] : children(der, wrapper);
  const wanted = encodeOid(oid);
  return (list === undefined ? [] : children(der, list))
    .map((extension) => children(der, extension))
    .filter(([id]) => id?.tag === OBJECT_IDENTIFIER && sameBytes(der, id, wanted))
    .map((parts) => parts[parts.length - 1])
    .filter((value): value is Element => value?.tag === OCTET_STRING)
    .map((value) => der.subarray(value.start, value.end));
}
