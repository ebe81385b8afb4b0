import { ID_TYPES, type IdType } from '@crowdledger/protocol';
import { Object as DataType } from 'fabric-contract-api';
import { requireOneOf } from '../values/guards';
import { requireReference, requireUserId } from '../values/ids';
import { requireIdNumber, requirePersonName, requireSalt } from '../values/personal-data';
import { type FieldsOf, parseFields, record, recordCodec, text } from './record';

// Named as in the transient field `user` they came from, as requirePersonalDetails names them.
const PERSONAL_DATA = {
  userId: text(requireUserId),
  platformRef: text(requireReference),
  /** Exactly as registered: no trimming or Unicode normalisation. */
  name: text((value) => requirePersonName(value, 'user.name')),
  idType: text((value) => requireOneOf(value, 'user.idType', ID_TYPES)),
  idNumber: text((value, _name, earlier) =>
    requireIdNumber(earlier['idType'] as IdType, value, 'user.idNumber'),
  ),
  /** Lower-case hex, as the platform sent it; with the fields it reproduces the commitment. */
  salt: text(requireSalt),
};

export type PersonalDataFields = FieldsOf<typeof PERSONAL_DATA>;

/**
 * A user's personal data. Lives only in the private collection of the
 * user's platform (members: that platform and the registry), never in
 * public state or an event.
 */
@DataType()
export class PersonalData extends record(PERSONAL_DATA) {
  static parse(value: unknown): PersonalData {
    return new PersonalData(parseFields(PERSONAL_DATA, value, 'personal data'));
  }
}

export const personalDataCodec = recordCodec((value) => PersonalData.parse(value));
