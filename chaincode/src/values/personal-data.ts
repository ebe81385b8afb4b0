import {
  ID_TYPES,
  idNumberProblem,
  type IdType,
  type PersonalDetails,
  personNameProblem,
} from '@crowdledger/protocol';

export { creditCodeCheckCharacter, residentIdCheckCharacter } from '@crowdledger/protocol';
import { ChaincodeError } from './errors';
import { parseJsonArgument, requireFields, requireOneOf, requireText } from './guards';

/** 1 to 100 Unicode characters (code points), not blank, no control characters. */
export function requirePersonName(value: unknown, name = 'user.name'): string {
  if (typeof value !== 'string') {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be a string`);
  }
  const problem = personNameProblem(value);
  if (problem !== undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} ${problem}`);
  }
  return value;
}

/** Never echoes the number: error sentences end up in peer logs. */
export function requireIdNumber(idType: IdType, value: unknown, name = 'user.idNumber'): string {
  if (typeof value !== 'string') {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be a string`);
  }
  const problem = idNumberProblem(idType, value);
  if (problem !== undefined) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} ${problem}`);
  }
  return value;
}

export function requirePersonalDetails(value: unknown, name = 'user'): PersonalDetails {
  const fields = requireFields(value, name, ['name', 'idType', 'idNumber']);
  const idType = requireOneOf(fields['idType'], `${name}.idType`, ID_TYPES);
  return {
    name: requirePersonName(fields['name'], `${name}.name`),
    idType,
    idNumber: requireIdNumber(idType, fields['idNumber'], `${name}.idNumber`),
  };
}

/** The transient field `user`: JSON {name, idType, idNumber}. */
export function parsePersonalDetails(text: string): PersonalDetails {
  return requirePersonalDetails(parseJsonArgument(text, 'user', 4096));
}

const SALT = /^(?:[0-9a-f]{2}){16,64}$/;

/**
 * The client makes the salt: the chaincode has no secret randomness, and
 * anything it derived from the transaction would be public, leaving an
 * 18-digit ID open to guessing against the commitment.
 */
export function requireSalt(value: unknown, name = 'salt'): string {
  return requireText(value, name, {
    expected: '16 to 64 random bytes as lower-case hex (32 to 128 hex digits)',
    pattern: SALT,
    maxLength: 128,
  });
}
