import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields, requireInstant, requireOneOf, requireSha256Hex } from '../values/guards';
import { requireMspId, requireUserId } from '../values/ids';
import { parseStored } from '../values/codec';

export const USER_STATUSES = ['ACTIVE'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

interface UserFields {
  readonly userId: string;
  readonly platform: string;
  readonly status: UserStatus;
  readonly commitment: string;
  readonly registeredAt: string;
}

/** The public part of a user: no personal data, only a salted commitment to it (R12). */
@DataType()
export class User {
  @Property('userId', 'string')
  readonly userId: string;

  /** MSP ID of the platform that registered the user and holds their personal data. */
  @Property('platform', 'string')
  readonly platform: string;

  @Property('status', 'string')
  readonly status: UserStatus;

  /** Lower-case hex sha256 over salt and personal data (values/personal-data.ts). */
  @Property('commitment', 'string')
  readonly commitment: string;

  /** ISO-8601 transaction time of the registration. */
  @Property('registeredAt', 'string')
  readonly registeredAt: string;

  constructor(fields: UserFields) {
    this.userId = fields.userId;
    this.platform = fields.platform;
    this.status = fields.status;
    this.commitment = fields.commitment;
    this.registeredAt = fields.registeredAt;
  }

  static parse(value: unknown): User {
    const fields = requireFields(value, 'user', [
      'userId',
      'platform',
      'status',
      'commitment',
      'registeredAt',
    ]);
    return new User({
      userId: requireUserId(fields['userId']),
      platform: requireMspId(fields['platform'], 'platform'),
      status: requireOneOf(fields['status'], 'status', USER_STATUSES),
      commitment: requireSha256Hex(fields['commitment'], 'commitment'),
      registeredAt: requireInstant(fields['registeredAt'], 'registeredAt'),
    });
  }

  toBytes(): Uint8Array {
    return canonicalBytes({
      userId: this.userId,
      platform: this.platform,
      status: this.status,
      commitment: this.commitment,
      registeredAt: this.registeredAt,
    });
  }
}

export const userCodec: Codec<User> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => User.parse(value)),
  toBytes: (value) => value.toBytes(),
};
