// What the integration suites must never leave on a node: the secrets they
// use are recorded here as they are made, in every form a block or a log
// could hold them, and searched for in every block file and log of every
// node (test/scan/secrets-scan.test.ts, after the whole suite).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';

/** One secret a suite used: text (a name, an ID number, a reference) or key bytes (a private scalar). */
export interface Secret {
  readonly kind: string;
  readonly text?: string;
  /** Base64 of a secret that is bytes. */
  readonly bytes?: string;
}

/**
 * Where the suites record their secrets: owner-only, in the network folder
 * (so a fresh network starts a fresh list), outside every node's folder.
 */
export function secretsFile(): string | undefined {
  const home = process.env['CROWDLEDGER_HOME'] ?? '';
  return home === '' ? undefined : join(home, 'test-secrets.jsonl');
}

/** Records a secret for the search after the suite. */
export function recordSecret(secret: Secret): void {
  const file = secretsFile();
  if (file !== undefined && existsSync(join(file, '..', 'nodes'))) {
    appendFileSync(file, `${JSON.stringify(secret)}\n`, { mode: 0o600 });
  }
}

/** Records the private scalar of an EC key: it is what a private key file, a JWK or a PEM body all carry. */
export function recordPrivateKey(kind: string, key: KeyObject): void {
  recordSecret({ kind, bytes: privateScalar(key).toString('base64') });
}

export function privateScalar(key: KeyObject): Buffer {
  const { d } = key.export({ format: 'jwk' });
  if (d === undefined) {
    throw new Error('not a private EC key');
  }
  return Buffer.from(d, 'base64url');
}

export function recordedSecrets(): Secret[] {
  const file = secretsFile();
  if (file === undefined || !existsSync(file)) {
    return [];
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Secret);
}

/**
 * Base64 of the bytes as they would read inside any longer base64 text: one
 * form per alignment (0, 1 or 2 bytes before them), keeping only the
 * characters these bytes alone decide.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (const before of [0, 1, 2]) {
    const padded = Buffer.concat([Buffer.alloc(before), bytes]);
    const whole = Math.floor(padded.length / 3) * 4;
    const skip = [0, 2, 3][before] ?? 0;
    const text = padded.toString('base64').slice(skip, whole);
    forms.push(text, text.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return forms;
}

/** JSON as an ASCII-only encoder writes it: every non-ASCII UTF-16 unit as \uXXXX, either case. */
function jsonEscaped(text: string, upper: boolean): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
}

/** The forms a text could take in a block or a log: UTF-8, JSON-escaped, hex (both cases), base64. */
export function encodings(text: string): string[] {
  const utf8 = Buffer.from(text, 'utf8');
  const forms = [
    text,
    JSON.stringify(text).slice(1, -1),
    jsonEscaped(text, false),
    jsonEscaped(text, true),
    utf8.toString('hex'),
    utf8.toString('hex').toUpperCase(),
    ...base64Forms(utf8),
  ];
  return [...new Set(forms)];
}

/**
 * The forms key bytes could take: raw, hex (both cases), base64 and
 * base64url at every alignment, and the first 16 characters of each base64
 * form, which is what a PEM body broken into lines still holds in one piece.
 */
export function byteEncodings(bytes: Buffer): Buffer[] {
  const base64 = base64Forms(bytes);
  const texts = [
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    ...base64,
    ...base64.map((form) => form.slice(0, 16)),
  ];
  return [bytes, ...[...new Set(texts)].map((t) => Buffer.from(t, 'utf8'))];
}

/** Every needle of a secret, as bytes; forms under 8 bytes are left out, since they match by chance. */
export function needlesOf(secret: Secret): Buffer[] {
  const forms =
    secret.bytes !== undefined
      ? byteEncodings(Buffer.from(secret.bytes, 'base64'))
      : encodings(secret.text ?? '').map((form) => Buffer.from(form, 'utf8'));
  return forms.filter((form) => form.length >= 8);
}

/** A needle found: which secret, in which form, in which file. */
export interface Hit {
  readonly secret: Secret;
  readonly form: string;
  readonly file: string;
}

/**
 * Finds many needles in one pass over the haystack: needles are indexed by
 * their first four bytes, so each position costs one lookup whatever their
 * number (tens of thousands: a form per encoding of every secret).
 */
export class NeedleIndex {
  readonly #byPrefix = new Map<number, { needle: Buffer; secret: Secret }[]>();
  readonly #seen = new Uint8Array(1 << 21);

  add(secret: Secret): void {
    for (const needle of needlesOf(secret)) {
      const prefix = needle.readUInt32LE(0);
      const entries = this.#byPrefix.get(prefix) ?? [];
      entries.push({ needle, secret });
      this.#byPrefix.set(prefix, entries);
      const low = prefix & 0xffffff;
      this.#seen[low >>> 3] = (this.#seen[low >>> 3] ?? 0) | (1 << (low & 7));
    }
  }

  get size(): number {
    let count = 0;
    for (const entries of this.#byPrefix.values()) {
      count += entries.length;
    }
    return count;
  }

  search(haystack: Buffer, file: string): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i + 4 <= haystack.length; i += 1) {
      if (this.#mayStartAt(haystack, i)) {
        hits.push(...this.#matchesAt(haystack, i, file));
      }
    }
    return hits;
  }

  /** Whether any needle starts with the three bytes at i: a bit test, so most positions cost no lookup. */
  #mayStartAt(haystack: Buffer, i: number): boolean {
    const low = (haystack[i] ?? 0) | ((haystack[i + 1] ?? 0) << 8) | ((haystack[i + 2] ?? 0) << 16);
    return ((this.#seen[low >>> 3] ?? 0) & (1 << (low & 7))) !== 0;
  }

  #matchesAt(haystack: Buffer, i: number, file: string): Hit[] {
    const entries = this.#byPrefix.get(haystack.readUInt32LE(i)) ?? [];
    return entries
      .filter(
        ({ needle }) =>
          i + needle.length <= haystack.length &&
          haystack.compare(needle, 0, needle.length, i, i + needle.length) === 0,
      )
      .map(({ needle, secret }) => ({ secret, form: needle.toString('latin1'), file }));
  }
}
