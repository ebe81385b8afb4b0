/**
 * The few DER encodings a Fabric block header hash needs (X.690): Go's
 * `asn1.Marshal` of SEQUENCE { INTEGER, OCTET STRING, OCTET STRING }.
 */

const TAG_INTEGER = 0x02;
const TAG_OCTET_STRING = 0x04;
const TAG_SEQUENCE = 0x30;

/** Definite length: short form below 128, else 0x80 | byte count, then big-endian bytes. */
export function derLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`DER length out of range: ${String(length)}`);
  }
  if (length < 0x80) {
    return Buffer.from([length]);
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** A non-negative INTEGER in the fewest two's-complement bytes (a leading 0 keeps it positive). */
export function derUnsignedInteger(value: bigint): Buffer {
  if (value < 0n) {
    throw new RangeError('only non-negative integers are encoded');
  }
  let hex = value.toString(16);
  if (hex.length % 2 === 1) {
    hex = `0${hex}`;
  }
  let content = Buffer.from(hex, 'hex');
  if ((content[0] ?? 0) & 0x80) {
    content = Buffer.concat([Buffer.from([0]), content]);
  }
  return tlv(TAG_INTEGER, content);
}

export function derOctetString(bytes: Uint8Array): Buffer {
  return tlv(TAG_OCTET_STRING, bytes);
}

export function derSequence(...elements: readonly Uint8Array[]): Buffer {
  return tlv(TAG_SEQUENCE, Buffer.concat(elements));
}
