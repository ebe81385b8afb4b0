import { ChaincodeError } from '../values/errors';
import { PersonalData } from '../model/personal-data';
import { ReferenceSecret } from '../model/reference-secret';
import { User } from '../model/user';
import { referenceSecretFingerprint, userIdFor } from '@crowdledger/protocol';
import { type PersonalDetails, userCommitment } from '@crowdledger/protocol';

export interface UserRegistration {
  readonly mspId: string;
  readonly platformRef: string;
  /** The platform's reference secret: the user ID is keyed with it, so the reference can't be guessed back. */
  readonly referenceSecret: string;
  readonly details: PersonalDetails;
  readonly salt: string;
  readonly at: Date;
}

/**
 * R1/R12: the public record with only the keyed ID and a commitment, and the
 * private one with the data. The reference itself goes only to the private record.
 */
export function newUserRecords(registration: UserRegistration): { user: User; personal: PersonalData } {
  const { mspId, platformRef, details, salt } = registration;
  const userId = userIdFor(mspId, registration.referenceSecret, platformRef);
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

/**
 * The platform's first registration fixes its reference secret's
 * fingerprint; later ones must use the same secret. Returns the record to
 * write the first time, undefined after. Another secret would give a known
 * reference a second user ID, so it is refused rather than taken.
 */
export function checkReferenceSecret(
  stored: ReferenceSecret | undefined,
  registration: Pick<UserRegistration, 'mspId' | 'referenceSecret' | 'at'>,
): ReferenceSecret | undefined {
  const fingerprint = referenceSecretFingerprint(registration.referenceSecret);
  if (stored === undefined) {
    return new ReferenceSecret({
      platform: registration.mspId,
      fingerprint,
      setAt: registration.at.toISOString(),
    });
  }
  if (stored.fingerprint !== fingerprint) {
    throw new ChaincodeError(
      'REFERENCE_SECRET_MISMATCH',
      `this is not the reference secret ${registration.mspId} has registered its users with since ${stored.setAt}; use that one (the profile's referenceSecret file)`,
    );
  }
  return undefined;
}
