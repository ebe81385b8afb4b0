import type { Context } from 'fabric-contract-api';
import type { CallerFacts } from '../model/caller';
import { parseCertificate } from '../values/certificates';

/**
 * What the proposal says about its signer: MSP, certificate and Fabric CA
 * attributes. Who that makes the caller is rules/identity's decision.
 */
export function callerFacts(ctx: Context): CallerFacts {
  const identity = ctx.clientIdentity;
  const pem = Buffer.from(identity.getIDBytes()).toString('utf8');
  return {
    mspId: identity.getMSPID(),
    certificate: parseCertificate(pem, 'caller certificate'),
    attribute: (name) => identity.getAttributeValue(name),
  };
}
