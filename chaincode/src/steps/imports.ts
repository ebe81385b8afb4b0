import type { Context } from 'fabric-contract-api';
import { getPersonalData, putPersonalData, putUser } from '../ledger/users';
import type { PersonalData } from '../model/personal-data';
import type { User } from '../model/user';
import type { ImportRow } from '../rules/imports';
import { newUserRecords } from '../rules/users';

/** A registered user's personal data, from their platform's collection (the endorsers are members). */
export async function personalDataOrNone(ctx: Context, user: User): Promise<PersonalData | undefined> {
  return getPersonalData(ctx.stub, user.platform, user.userId);
}

/** Registers an import row's holder as users:Register would: public commitment, private data. */
export async function registerImportedUser(
  ctx: Context,
  row: ImportRow & { readonly mspId: string; readonly referenceSecret: string; readonly at: Date },
): Promise<void> {
  const { name, idType, idNumber } = row;
  const { user, personal } = newUserRecords({
    mspId: row.mspId,
    platformRef: row.platformRef,
    referenceSecret: row.referenceSecret,
    details: { name, idType, idNumber },
    salt: row.salt,
    at: row.at,
  });
  await putUser(ctx.stub, user);
  await putPersonalData(ctx.stub, row.mspId, personal);
}
