import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IdentityFiles, Profile } from './profile';

/** One finding of {@link checkProfileFiles}: what was checked, whether it holds, and what was seen. */
export interface ProfileCheck {
  /** What was checked, e.g. `identities.app` or `peers[0] TLS root`. */
  readonly what: string;
  /** Whether it holds. */
  readonly ok: boolean;
  /** What was found: the certificate's subject and expiry, or what is wrong. */
  readonly detail: string;
}

type Check = Omit<ProfileCheck, 'what'>;

/**
 * Checks the material a profile names, as a hand-written profile needs before
 * first use: every TLS root is a readable X.509 certificate in date, every
 * identity's key is the private half of its certificate, the reference secret
 * is 64 hex digits that only its owner can read. It reads files only; nothing
 * is dialled.
 */
export async function checkProfileFiles(profile: Profile, now: Date = new Date()): Promise<ProfileCheck[]> {
  const nodes = [
    ...profile.peers.map((p) => ({ where: `peer ${p.name}`, file: p.tlsRootCert })),
    ...(profile.orderers ?? []).map((o) => ({ where: `orderer ${o.name}`, file: o.tlsRootCert })),
  ];
  const identities = Object.entries(profile.identities).map(([name, files]) => ({
    where: `identity ${name}`,
    files,
  }));
  const asset = profile.assetCa;
  const checks: Promise<ProfileCheck>[] = [
    ...nodes.map(async (n) => ({ what: `${n.where} TLS root`, ...(await certificateCheck(n.file, now)) })),
    ...identities.map(async (i) => ({ what: i.where, ...(await identityCheck(i.files, now)) })),
    ...(asset === undefined
      ? []
      : [
          (async () => ({ what: 'assetCa TLS root', ...(await certificateCheck(asset.tlsRootCert, now)) }))(),
          (async () => ({ what: 'assetCa registrar', ...(await identityCheck(asset.registrar, now)) }))(),
        ]),
    ...(profile.referenceSecret === undefined
      ? []
      : [
          (async (file: string) => ({ what: 'referenceSecret', ...(await secretCheck(file)) }))(
            profile.referenceSecret,
          ),
        ]),
  ];
  return Promise.all(checks);
}

async function certificateCheck(file: string, now: Date): Promise<Check> {
  const read = await readCertificate(file);
  return typeof read === 'string' ? { ok: false, detail: read } : inDate(read, file, now);
}

async function readCertificate(file: string): Promise<X509Certificate | string> {
  let pem: Buffer;
  try {
    pem = await readFile(file);
  } catch {
    return `cannot read ${file}`;
  }
  try {
    return new X509Certificate(pem);
  } catch {
    return `${file} is not a PEM X.509 certificate`;
  }
}

function inDate(cert: X509Certificate, file: string, now: Date): Check {
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (now < from || now > to) {
    return { ok: false, detail: `${file} is valid only from ${from.toISOString()} to ${to.toISOString()}` };
  }
  return { ok: true, detail: `${subjectCn(cert)}, valid until ${to.toISOString()}` };
}

function subjectCn(cert: X509Certificate): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  return cn === undefined ? cert.subject.replaceAll('\n', ', ') : `CN=${cn}`;
}

async function identityCheck(files: IdentityFiles, now: Date): Promise<Check> {
  const cert = await readCertificate(files.cert);
  if (typeof cert === 'string') {
    return { ok: false, detail: cert };
  }
  const dated = inDate(cert, files.cert, now);
  if (!dated.ok) {
    return dated;
  }
  let key: Buffer;
  try {
    key = await readFile(files.key);
  } catch {
    return { ok: false, detail: `cannot read ${files.key}` };
  }
  return keyMatches(key, cert)
    ? dated
    : { ok: false, detail: `${files.key} is not the key of ${files.cert}` };
}

function keyMatches(pem: Buffer, cert: X509Certificate): boolean {
  try {
    const mine = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
    return mine.equals(cert.publicKey.export({ type: 'spki', format: 'der' }));
  } catch {
    // Not a private key at all: no match either.
    return false;
  }
}

async function secretCheck(file: string): Promise<Check> {
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mode)]);
  } catch {
    return { ok: false, detail: `cannot read ${file}` };
  }
  if (!/^[0-9a-f]{64}$/.test(text.trim())) {
    return { ok: false, detail: `${file} must hold 64 hex digits (32 random bytes)` };
  }
  if ((mode & 0o077) !== 0) {
    return {
      ok: false,
      detail: `${file} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
    };
  }
  return { ok: true, detail: `${file}, owner-only` };
}
