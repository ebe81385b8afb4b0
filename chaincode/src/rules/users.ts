import { PersonalData } from '../model/personal-data';
import { User } from '../model/user';
import { userIdFor } from '@crowdledger/protocol';
import { type PersonalDetails, userCommitment } from '@crowdledger/protocol';

export interface UserRegistration {
  readonly mspId: string;
  readonly platformRef: string;
  readonly details: PersonalDetails;
  readonly salt: string;
  readonly at: Date;
}

/** R1/R12: the public record with only a commitment, and the private one with the data. */
export function newUserRecords(registration: UserRegistration): { user: User; personal: PersonalData } {
  const { mspId, platformRef, details, salt } = registration;
  const userId = userIdFor(mspId, platformRef);
  const user = new User({
    userId,
    platform: mspId,
    status: 'ACTIVE',
    commitment: userCommitment(salt, { ...details, platformRef }),
    registeredAt: registration.at.toISOString(),
  });
  const personal = new PersonalData({ ...details, userId, platformRef, salt });
  return { user, personal };
}
