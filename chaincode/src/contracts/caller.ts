import type { X509Certificate } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { readCaller } from '../ledger/caller';
import { getAssetCertificateAuthority } from '../ledger/config';
import { parseCertificate } from '../rules/certificates';
import { type CallerDescription, type CallerFacts, describeCaller } from '../rules/identity';

/**
 * Caller resolution shared by the contracts. A module of functions, not a
 * contract method, so none of it can be invoked as a transaction.
 */
export function callerFacts(ctx: Context): CallerFacts {
  const caller = readCaller(ctx);
  const certificate = parseCertificate(Buffer.from(caller.idBytes).toString('utf8'), 'caller certificate');
  return { ...caller, certificate };
}

/** The asset CA recorded on the ledger, undefined before one is set. */
export async function storedAssetCa(ctx: Context): Promise<X509Certificate | undefined> {
  const record = await getAssetCertificateAuthority(ctx.stub);
  return record === undefined ? undefined : parseCertificate(record.pem, 'stored asset CA certificate');
}

/** Who is calling, with holders recognised by the stored asset CA. */
export async function currentCaller(ctx: Context): Promise<CallerDescription> {
  return describeCaller(callerFacts(ctx), await storedAssetCa(ctx));
}
