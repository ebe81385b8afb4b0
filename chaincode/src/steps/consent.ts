import type { ConsentAction, ConsentParams, ConsentRequest } from '@crowdledger/protocol';
import type { Context } from 'fabric-contract-api';
import { txTime } from '../ledger/state';
import {
  getTransactionKey,
  hasConsentRecord,
  putConsentRecord,
  retiredKeysOf,
} from '../ledger/transaction-keys';
import { requireUser } from '../ledger/users';
import type { CallerDescription } from '../model/caller';
import type { TransactionKey } from '../model/transaction-key';
import type { User } from '../model/user';
import {
  isSignedBy,
  readSignedRequest,
  replayRefusal,
  requireFresh,
  signatureRefusal,
  type SignedRequest,
} from '../rules/consent';
import { requireOwnPlatform, requirePlatform } from '../rules/identity';
import { keyNotSet } from '../rules/transaction-keys';
import { currentCaller } from './caller';

/** A user's verified consent to one act: who relayed it, whose it is, and what they signed. */
export interface Consent<A extends ConsentAction> {
  readonly caller: CallerDescription;
  readonly user: User;
  readonly request: ConsentRequest<A>;
  /** The act's parameters, exactly as signed: the transaction takes them from here and nowhere else. */
  readonly params: ConsentParams<A>;
}

/**
 * R7's gate, run first by every act that moves or escrows a user's units,
 * before it reads anything else: so a forged request, submitted or only
 * evaluated, is refused the same way and learns nothing of the ledger. The
 * user's own platform relays the request; it must be for this act, fresh,
 * signed by the user's current key, and not run before. Throws on any
 * failure; writes nothing: the act calls {@link recordConsent} with its
 * first write.
 */
export async function requireConsent<A extends ConsentAction>(
  ctx: Context,
  action: A,
  text: string,
  signature: string,
): Promise<Consent<A>> {
  const caller = await currentCaller(ctx);
  requirePlatform(caller);
  const signed = readSignedRequest(text, signature, action);
  const user = await requireUser(ctx, signed.request.userId);
  requireOwnPlatform(caller, user.platform, `act for ${user.userId}`);
  requireFresh(signed.request, txTime(ctx.stub));
  await requireSignature(ctx, signed, await requireKey(ctx, user.userId));
  await requireUnused(ctx, signed.request);
  return { caller, user, request: signed.request, params: signed.request.params };
}

/** The user's current key, or KEY_NOT_SET. */
export async function requireKey(ctx: Context, userId: string): Promise<TransactionKey> {
  const key = await getTransactionKey(ctx.stub, userId);
  if (key === undefined) {
    throw keyNotSet(userId);
  }
  return key;
}

async function requireSignature(ctx: Context, signed: SignedRequest, key: TransactionKey): Promise<void> {
  if (!isSignedBy(signed, key)) {
    throw signatureRefusal(signed, key, await retiredKeysOf(ctx.stub, signed.request.userId));
  }
}

/** Refuses a request ID the user has used before. */
export async function requireUnused(ctx: Context, request: ConsentRequest): Promise<void> {
  if (await hasConsentRecord(ctx.stub, request.userId, request.requestId)) {
    throw replayRefusal(request);
  }
}

/**
 * Records that the request ran, so it never runs again: the act's first
 * write, after all its reads and checks (a transaction that fails writes
 * nothing, so a refused request can be sent again once fixed).
 */
export async function recordConsent(
  ctx: Context,
  consent: { readonly request: ConsentRequest },
): Promise<void> {
  await putConsentRecord(ctx.stub, consent.request.userId, consent.request.requestId);
}

/**
 * For the pre-trade checks, which take no signature: the caller may act for
 * the user, and the user has a key a signature could be checked against.
 */
export async function requireActingFor(ctx: Context, userId: string, what: string): Promise<User> {
  const caller = await currentCaller(ctx);
  requirePlatform(caller);
  const user = await requireUser(ctx, userId);
  requireOwnPlatform(caller, user.platform, `${what} for ${user.userId}`);
  return user;
}
