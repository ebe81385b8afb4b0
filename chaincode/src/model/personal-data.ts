import { Object as DataType, Property } from 'fabric-contract-api';
import { canonicalBytes } from '@crowdledger/protocol';
import type { Codec } from '../values/codec';
import { requireFields } from '../values/guards';
import { requireReference, requireUserId } from '../values/ids';
import { type IdType } from '@crowdledger/protocol';
import { requirePersonalDetails, requireSalt } from '../values/personal-data';
import { parseStored } from '../values/codec';

interface PersonalDataFields {
  readonly userId: string;
  readonly platformRef: string;
  readonly name: string;
  readonly idType: IdType;
  readonly idNumber: string;
  readonly salt: string;
}

/**
 * A user's personal data. Lives only in the private collection of the
 * user's platform (members: that platform and the registry), never in
 * public state or an event.
 */
@DataType()
export class PersonalData {
  @Property('userId', 'string')
  readonly userId: string;

  @Property('platformRef', 'string')
  readonly platformRef: string;

  /** Exactly as registered: no trimming or Unicode normalisation. */
  @Property('name', 'string')
  readonly name: string;

  @Property('idType', 'string')
  readonly idType: IdType;

  @Property('idNumber', 'string')
  readonly idNumber: string;

  /** Lower-case hex, as the platform sent it; with the fields it reproduces the commitment. */
  @Property('salt', 'string')
  readonly salt: string;

  constructor(fields: PersonalDataFields) {
    this.userId = fields.userId;
    this.platformRef = fields.platformRef;
    this.name = fields.name;
    this.idType = fields.idType;
    this.idNumber = fields.idNumber;
    this.salt = fields.salt;
  }

  static parse(value: unknown): PersonalData {
    const fields = requireFields(value, 'personal data', [
      'userId',
      'platformRef',
      'name',
      'idType',
      'idNumber',
      'salt',
    ]);
    const details = requirePersonalDetails({
      name: fields['name'],
      idType: fields['idType'],
      idNumber: fields['idNumber'],
    });
    return new PersonalData({
      ...details,
      userId: requireUserId(fields['userId']),
      platformRef: requireReference(fields['platformRef'], 'platformRef'),
      salt: requireSalt(fields['salt']),
    });
  }

  toBytes(): Uint8Array {
    return canonicalBytes({
      userId: this.userId,
      platformRef: this.platformRef,
      name: this.name,
      idType: this.idType,
      idNumber: this.idNumber,
      salt: this.salt,
    });
  }
}

export const personalDataCodec: Codec<PersonalData> = {
  fromBytes: (bytes, key) => parseStored(bytes, key, (value) => PersonalData.parse(value)),
  toBytes: (value) => value.toBytes(),
};
