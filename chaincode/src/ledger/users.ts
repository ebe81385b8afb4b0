import type { Context } from 'fabric-contract-api';
import { type PersonalData, personalDataCodec } from '../model/personal-data';
import { type User, userCodec } from '../model/user';
import { KeyPrefix } from '@crowdledger/protocol';
import { stateKey } from './state-keys';
import { getPrivateRecord, getRecord, putPrivateRecord, putRecord } from './state';
import { ChaincodeError } from '../values/errors';

type Stub = Context['stub'];

/** Each platform's users' personal data live in its own collection (DESIGN §2). */
export function personalCollection(mspId: string): string {
  return `${mspId}Private`;
}

export function userKey(stub: Stub, userId: string): string {
  return stateKey(stub, KeyPrefix.user, userId);
}

export async function getUser(stub: Stub, userId: string): Promise<User | undefined> {
  return getRecord(stub, userKey(stub, userId), userCodec);
}

/** The user, or USER_NOT_FOUND: every contract fails a missing user with the same code and sentence. */
export async function requireUser(ctx: Context, userId: string): Promise<User> {
  const user = await getUser(ctx.stub, userId);
  if (user === undefined) {
    throw new ChaincodeError('USER_NOT_FOUND', `no user ${userId} is registered`);
  }
  return user;
}

export async function putUser(stub: Stub, user: User): Promise<void> {
  await putRecord(stub, userKey(stub, user.userId), user, userCodec);
}

export async function getPersonalData(
  stub: Stub,
  platform: string,
  userId: string,
): Promise<PersonalData | undefined> {
  const key = stateKey(stub, KeyPrefix.personal, userId);
  return getPrivateRecord(stub, personalCollection(platform), key, personalDataCodec);
}

export async function putPersonalData(stub: Stub, platform: string, data: PersonalData): Promise<void> {
  const key = stateKey(stub, KeyPrefix.personal, data.userId);
  await putPrivateRecord(stub, personalCollection(platform), key, data, personalDataCodec);
}
