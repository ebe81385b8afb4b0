/** Protocol Buffers base-128 varints, as Fabric's block files use them for lengths and numbers. */

export interface Varint {
  readonly value: bigint;
  /** Offset just past the varint. */
  readonly next: number;
}

const MAX_VARINT_BYTES = 10;

/** Reads a varint at `offset`; undefined when the bytes end before it does. */
export function readVarint(bytes: Uint8Array, offset: number): Varint | undefined {
  let value = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) {
      return undefined;
    }
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      return { value, next: offset + i + 1 };
    }
  }
  throw new RangeError(`varint longer than ${String(MAX_VARINT_BYTES)} bytes at offset ${String(offset)}`);
}

export function encodeVarint(value: bigint | number): Buffer {
  let rest = BigInt(value);
  if (rest < 0n) {
    throw new RangeError('varints here are unsigned');
  }
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return Buffer.from(bytes);
}

/** A varint that must fit a JavaScript array index or byte count. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value.toString()} is too large`);
  }
  return Number(value);
}
