// Where `certificates issue` puts what the holder needs: one folder per
// holding, the private key and the .p12 readable by the owner only. The files
// are written whole or not at all (temporary file, then rename).
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnrolledCertificate } from '@crowdledger/client';
import { CliError } from './errors';
import { reasonOf } from './input/secret';

export const CERTIFICATE_FILE = 'cert.pem';
export const KEY_FILE = 'key.pem';
export const CHAIN_FILE = 'ca-chain.pem';
export const P12_FILE = 'holder.p12';
/** Owner only: the key is the holder's whole identity. */
export const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;
const FOLDER_MODE = 0o700;

export interface HolderFiles {
  readonly folder: string;
  readonly certificate: string;
  readonly privateKey: string;
  readonly caChain: string;
  readonly pkcs12?: string;
}

/** `<out>/<assetId>/<holderId>`: one folder per holding. */
export function holderFolder(out: string, assetId: string, holderId: string): string {
  return join(out, assetId, holderId);
}

/**
 * Writes the certificate, key, chain and (with a passphrase) a .p12 into the
 * holding's folder. A folder from an earlier certificate is overwritten: the
 * ledger now records the new one, so the old key no longer gets anything (R4).
 */
export async function writeHolderFiles(
  out: string,
  issued: EnrolledCertificate,
  passphrase?: string,
): Promise<HolderFiles> {
  const folder = holderFolder(out, issued.assetId, issued.holderId);
  try {
    await mkdir(folder, { recursive: true, mode: FOLDER_MODE });
    const files = {
      folder,
      certificate: await writeWhole(join(folder, CERTIFICATE_FILE), issued.certificatePem, PUBLIC_MODE),
      privateKey: await writeWhole(join(folder, KEY_FILE), issued.privateKeyPem, SECRET_MODE),
      caChain: await writeWhole(join(folder, CHAIN_FILE), issued.caChainPem, PUBLIC_MODE),
    };
    if (passphrase === undefined) {
      // A .p12 left from an earlier certificate of this holding would hand over a dead one.
      await rm(join(folder, P12_FILE), { force: true });
      return files;
    }
    const p12 = await issued.pkcs12(passphrase);
    return { ...files, pkcs12: await writeWhole(join(folder, P12_FILE), p12, SECRET_MODE) };
  } catch (cause) {
    throw new CliError(
      `the certificate of ${issued.assetId}/${issued.holderId} was enrolled at the CA but writing it to ${folder} failed: ${reasonOf(cause)}; nothing was recorded on the ledger, so the holding is still due: run again`,
      1,
      { cause },
    );
  }
}

async function writeWhole(path: string, data: string | Buffer, mode: number): Promise<string> {
  const temporary = `${path}.${String(process.pid)}.tmp`;
  await writeFile(temporary, data, { mode, flag: 'w' });
  if (mode === SECRET_MODE) {
    // writeFile's mode applies only to a new file: a stale temporary keeps its own. Public files keep the umask.
    await chmod(temporary, mode);
  }
  await rename(temporary, path);
  return path;
}

/** A holder's certificate and key, read back from a folder `issue` wrote. */
export async function readHolderFiles(folder: string): Promise<{ certificate: string; privateKey: string }> {
  try {
    const [certificate, privateKey] = await Promise.all([
      readFile(join(folder, CERTIFICATE_FILE), 'utf8'),
      readFile(join(folder, KEY_FILE), 'utf8'),
    ]);
    return { certificate, privateKey };
  } catch (cause) {
    throw new CliError(
      `cannot read ${CERTIFICATE_FILE} and ${KEY_FILE} in ${folder}: ${reasonOf(cause)}`,
      1,
      { cause },
    );
  }
}
