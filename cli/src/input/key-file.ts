// A user's transaction key in the CLI (R7): the private half of a P-256 key
// pair in a PKCS#8 PEM file that only its owner can read. The CLI signs
// requests with it locally; the ledger only ever sees the public half.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { type ConsentSigner, consentSigner, isCrowdLedgerError } from '@crowdledger/client';
import { CliError } from '../errors';
import { readSecretFile, reasonOf, type SecretIo } from './secret';

/** A new transaction key pair: ECDSA on P-256, the ES256 the chaincode verifies. */
export function newKeyPair(): { readonly privateKey: KeyObject; readonly publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/**
 * Writes the private key as PKCS#8 PEM to a new file, mode 0600 from the
 * moment it exists (never chmod after). An existing file is never
 * overwritten: it may be another user's key.
 */
export async function writeKeyFile(path: string, privateKey: KeyObject): Promise<void> {
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let file;
  try {
    file = await open(path, 'wx', 0o600);
  } catch (cause) {
    const exists = (cause as { code?: unknown } | null)?.code === 'EEXIST';
    const reason = exists ? 'it exists, and a key file is never overwritten' : reasonOf(cause);
    throw new CliError(`cannot write ${path}: ${reason}`, 1, { cause });
  }
  try {
    await file.writeFile(pem, 'utf8');
  } finally {
    await file.close();
  }
}

/** Removes a key file that was written but never registered. */
export async function removeKeyFile(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/** A signer over the key in a file `keys create` wrote; warns when others can read it. */
export async function readSigner(path: string, io: SecretIo): Promise<ConsentSigner> {
  const pem = await readSecretFile(path, io);
  try {
    return consentSigner(pem);
  } catch (cause) {
    const reason = isCrowdLedgerError(cause) ? cause.sentence : String(cause);
    throw new CliError(`${path} holds no transaction key: ${reason}`, 1, { cause });
  }
}
