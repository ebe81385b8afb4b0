import { type PersonalDetails, Transient } from '@crowdledger/protocol';
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../values/errors';
import { holdingsOfUser } from '../ledger/assets';
import { EventName } from '@crowdledger/protocol';
import { emitEvent } from '../ledger/events';
import { requireTransientBytes, txTime } from '../ledger/state';
import { getPersonalData, getUser, putPersonalData, putUser, requireUser } from '../ledger/users';
import type { PersonalData } from '../model/personal-data';
import { Portfolio } from '../model/portfolio';
import type { User } from '../model/user';
import { requireUtf8 } from '../values/guards';
import { requireReference, requireReferenceSecret, requireUserId } from '../values/ids';
import { requireOwnPlatformOrAdmin, requirePlatform, requirePublicReader } from '../rules/identity';
import { parsePersonalDetails, requireSalt } from '../values/personal-data';
import { checkReferenceSecret, newUserRecords } from '../rules/users';
import { getReferenceSecret, putReferenceSecret } from '../ledger/config';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';

/** Users registered by platforms (R1), their personal data kept private (R12). */
@Info({ title: 'users', description: 'User registration, personal data and portfolios' })
export class UsersContract extends CrowdLedgerContract {
  constructor() {
    super('users');
  }

  /**
   * Everything personal comes in the transient map so none of it reaches a
   * block (R12): the platform's reference for the user and the secret the
   * user ID is keyed with, name, ID type, ID number and the commitment's salt.
   */
  @Transaction()
  @Returns('User')
  async Register(ctx: Context): Promise<User> {
    const mspId = requirePlatform(await currentCaller(ctx));
    const registration = { ...readRegistration(ctx), mspId, at: txTime(ctx.stub) };
    const secret = checkReferenceSecret(await getReferenceSecret(ctx.stub, mspId), registration);
    const { user, personal } = newUserRecords(registration);
    if ((await getUser(ctx.stub, user.userId)) !== undefined) {
      // The reference is personal too: the sentence names only the ID.
      throw new ChaincodeError(
        'USER_EXISTS',
        `${mspId} already registered this reference as user ${user.userId}`,
      );
    }
    if (secret !== undefined) {
      await putReferenceSecret(ctx.stub, secret);
    }
    await putUser(ctx.stub, user);
    await putPersonalData(ctx.stub, mspId, personal);
    emitEvent(ctx.stub, EventName.userRegistered, user.toBytes());
    return user;
  }

  @Transaction(false)
  @Returns('User')
  async Get(ctx: Context, userId: string): Promise<User> {
    requirePublicReader(await currentCaller(ctx));
    return requireUser(ctx, requireUserId(userId));
  }

  /**
   * Read from the user's platform collection, so the answering peer must be
   * a member: the platform's own peer or the registry's.
   */
  @Transaction(false)
  @Returns('PersonalData')
  async GetPersonalData(ctx: Context, userId: string): Promise<PersonalData> {
    const caller = await currentCaller(ctx);
    requirePublicReader(caller);
    const user = await requireUser(ctx, requireUserId(userId));
    requireOwnPlatformOrAdmin(caller, user.platform, "read this user's personal data");
    const personal = await getPersonalData(ctx.stub, user.platform, user.userId);
    if (personal === undefined) {
      throw new ChaincodeError(
        'NOT_FOUND',
        `this peer holds no personal data for ${user.userId}; ask a peer of ${user.platform} or the registry`,
      );
    }
    return personal;
  }

  @Transaction(false)
  @Returns('Portfolio')
  async Portfolio(ctx: Context, userId: string): Promise<Portfolio> {
    requirePublicReader(await currentCaller(ctx));
    const user = await requireUser(ctx, requireUserId(userId));
    return new Portfolio(user.userId, await holdingsOfUser(ctx.stub, user.userId));
  }
}

/** The transient fields of users:Register, each checked. */
function readRegistration(ctx: Context): {
  platformRef: string;
  referenceSecret: string;
  details: PersonalDetails;
  salt: string;
} {
  const field = (name: string): string => requireUtf8(requireTransientBytes(ctx.stub, name), name);
  return {
    platformRef: requireReference(field(Transient.reference), Transient.reference),
    referenceSecret: requireReferenceSecret(field(Transient.referenceSecret), Transient.referenceSecret),
    details: parsePersonalDetails(field(Transient.user)),
    salt: requireSalt(field(Transient.salt)),
  };
}
