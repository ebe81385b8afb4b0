import { Object as DataType } from 'fabric-contract-api';
import { requireInstant, requireOneOf, requireSha256Hex } from '../values/guards';
import { requireMspId, requireUserId } from '../values/ids';
import { type FieldsOf, parseFields, record, recordCodec, text } from './record';

export const USER_STATUSES = ['ACTIVE'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

const USER = {
  userId: text(requireUserId),
  /** MSP ID of the platform that registered the user and holds their personal data. */
  platform: text(requireMspId),
  status: text((value, name) => requireOneOf(value, name, USER_STATUSES)),
  /** Lower-case hex sha256 over salt and personal data (values/personal-data.ts). */
  commitment: text(requireSha256Hex),
  /** ISO-8601 transaction time of the registration. */
  registeredAt: text(requireInstant),
};

export type UserFields = FieldsOf<typeof USER>;

/** The public part of a user: no personal data, only a salted commitment to it (R12). */
@DataType()
export class User extends record(USER) {
  static parse(value: unknown): User {
    return new User(parseFields(USER, value, 'user'));
  }
}

export const userCodec = recordCodec((value) => User.parse(value));
