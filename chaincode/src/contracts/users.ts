import { Transient } from '@crowdledger/protocol';
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
import { requireReference, requireUserId } from '../values/ids';
import { requireOwnPlatformOrAdmin, requirePlatform, requirePublicReader } from '../rules/identity';
import { parsePersonalDetails, requireSalt } from '../values/personal-data';
import { newUserRecords } from '../rules/users';
import { CrowdLedgerContract } from './base';
import { currentCaller } from '../steps/caller';

/** Users registered by platforms (R1), their personal data kept private (R12). */
@Info({ title: 'users', description: 'User registration, personal data and portfolios' })
export class UsersContract extends CrowdLedgerContract {
  constructor() {
    super('users');
  }

  /** Personal data and salt come in the transient map so they never reach a block. */
  @Transaction()
  @Returns('User')
  async Register(ctx: Context, platformRef: string): Promise<User> {
    const mspId = requirePlatform(await currentCaller(ctx));
    const ref = requireReference(platformRef, 'platformRef');
    const details = parsePersonalDetails(
      requireUtf8(requireTransientBytes(ctx.stub, Transient.user), 'user'),
    );
    const salt = requireSalt(requireUtf8(requireTransientBytes(ctx.stub, Transient.salt), 'salt'));
    const { user, personal } = newUserRecords({
      mspId,
      platformRef: ref,
      details,
      salt,
      at: txTime(ctx.stub),
    });
    if ((await getUser(ctx.stub, user.userId)) !== undefined) {
      throw new ChaincodeError('USER_EXISTS', `${mspId} already registered ${ref} as user ${user.userId}`);
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
