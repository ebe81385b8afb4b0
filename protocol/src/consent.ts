import { canonicalBytes } from './canonical';
import type { ContractName, TransactionName } from './names';

/**
 * The acts that move or escrow a user's units, and so run only with the
 * user's own signature over the exact request (R7).
 */
export const CONSENT_ACTIONS = [
  'listings:Create',
  'listings:Cancel',
  'trades:Buy',
  'offers:Create',
  'offers:Accept',
  'offers:Cancel',
  'campaigns:Create',
  'campaigns:Commit',
  'campaigns:Withdraw',
] as const satisfies readonly { [C in ContractName]: `${C}:${TransactionName<C>}` }[ContractName][];

/** An act that needs the user's consent. */
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

/** Signature algorithms a transaction key may use; ES256 is what WebAuthn passkeys produce. */
export const CONSENT_ALGORITHMS = ['ES256'] as const;

/** A transaction key's algorithm. */
export type ConsentAlgorithm = (typeof CONSENT_ALGORITHMS)[number];

/**
 * What a user signs. It goes into the transaction's arguments and so stays in
 * the block as the user's proof of consent: IDs and amounts only, never a
 * name or an ID number.
 */
export interface ConsentRequest {
  /** The act, as `contract:Transaction`. */
  readonly action: ConsentAction;
  /** Every parameter that matters to the act (listing, units, price, counterparty, deadline…). */
  readonly params: Readonly<Record<string, string | number>>;
  /** The user whose units move; the signature must verify under their registered key. */
  readonly userId: string;
  /** Unique per user: the ledger records it, so the same request never runs twice. */
  readonly requestId: string;
  /** ISO-8601 instant after which the request is refused. */
  readonly expiresAt: string;
}

/**
 * The exact bytes a user signs for a request: its canonical JSON (keys
 * sorted at every depth, UTF-8). Chaincode and client compute them the same
 * way, and a verifier re-checks them from the block alone.
 */
export function consentBytes(request: ConsentRequest): Uint8Array {
  return canonicalBytes({
    action: request.action,
    expiresAt: request.expiresAt,
    params: { ...request.params },
    requestId: request.requestId,
    userId: request.userId,
  });
}
