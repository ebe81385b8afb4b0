import { readFile } from 'node:fs/promises';
import { ClientErrorCode, CrowdLedgerError } from '../errors';
import { loadProfile, type Profile } from '../profile';
import { FabricCaClient } from './client';

/** Tuning for {@link openAssetCa}. */
export interface OpenAssetCaOptions {
  /** Per-request deadline for the CA; 15 s when absent. */
  readonly timeoutMs?: number;
}

/**
 * A client of the registry's asset-certificate CA acting as the profile's
 * platform registrar. Takes a loaded profile or a profile path; only
 * platform profiles carry `assetCa`.
 */
export async function openAssetCa(
  profile: Profile | string,
  options: Readonly<OpenAssetCaOptions> = {},
): Promise<FabricCaClient> {
  const loaded = typeof profile === 'string' ? await loadProfile(profile) : profile;
  const assetCa = loaded.assetCa;
  if (assetCa === undefined) {
    throw new CrowdLedgerError(
      ClientErrorCode.invalidProfile,
      `profile ${loaded.org} has no assetCa: only platform profiles can issue asset certificates`,
    );
  }
  const [tlsRootCert, certPem, keyPem] = await readAll([
    [assetCa.tlsRootCert, 'asset CA TLS root certificate'],
    [assetCa.registrar.cert, 'asset CA registrar certificate'],
    [assetCa.registrar.key, 'asset CA registrar key'],
  ]);
  return new FabricCaClient({
    url: assetCa.url,
    caName: assetCa.caName,
    tlsRootCert,
    registrar: { certPem, keyPem },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

/**
 * Reads the files side by side, but reports the first unreadable one in the
 * order given, whichever failed first: the same broken profile always gets
 * the same sentence.
 */
async function readAll<const T extends readonly (readonly [path: string, what: string])[]>(
  files: T,
): Promise<{ -readonly [K in keyof T]: string }> {
  const results = await Promise.allSettled(files.map(([path, what]) => readText(path, what)));
  const texts = results.map((result) => {
    if (result.status === 'rejected') {
      throw result.reason;
    }
    return result.value;
  });
  // One text per file, in order: the mapped tuple type is what map() cannot say.
  return texts as { -readonly [K in keyof T]: string };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `cannot read ${what} ${path}`, { cause });
  }
}
