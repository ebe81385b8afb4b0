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
  // One after the other: a broken profile always names the same first unreadable file.
  const tlsRootCert = await readText(assetCa.tlsRootCert, 'asset CA TLS root certificate');
  const certPem = await readText(assetCa.registrar.cert, 'asset CA registrar certificate');
  const keyPem = await readText(assetCa.registrar.key, 'asset CA registrar key');
  return new FabricCaClient({
    url: assetCa.url,
    caName: assetCa.caName,
    tlsRootCert,
    registrar: { certPem, keyPem },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `cannot read ${what} ${path}`, { cause });
  }
}
