import type { Context } from 'fabric-contract-api';

/** What the ledger knows about the identity that signed the proposal. */
export interface Caller {
  readonly mspId: string;
  /** The creator's certificate as sent, PEM for X.509 identities. */
  readonly idBytes: Uint8Array;
  attribute(name: string): string | null;
}

export function readCaller(ctx: Context): Caller {
  const identity = ctx.clientIdentity;
  return {
    mspId: identity.getMSPID(),
    idBytes: identity.getIDBytes(),
    attribute: (name) => identity.getAttributeValue(name),
  };
}
