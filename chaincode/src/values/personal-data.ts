import { ID_TYPES, type IdType, type PersonalDetails } from '@crowdledger/protocol';
import { ChaincodeError } from './errors';
import { parseJsonArgument, requireFields, requireOneOf, requireText } from './guards';

const NAME_MAX = 100;
// Control characters and lone surrogates cannot be shown or round-trip
// through UTF-8; everything else, the middle dot of 阿卜杜热西提·买买提
// included, is stored exactly as given (no trimming, no normalisation).
const NAME = /^[^\p{Cc}\p{Cs}]+$/u;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** 1 to 100 Unicode characters (code points), not blank, no control characters. */
export function requirePersonName(value: unknown, name = 'user.name'): string {
  if (typeof value !== 'string') {
    throw new ChaincodeError('INVALID_ARGUMENT', `${name} must be a string`);
  }
  // Code points, so a name outside the BMP is not counted twice.
  const length = value.replace(SURROGATE_PAIR, '_').length;
  if (length === 0 || length > NAME_MAX || !NAME.test(value) || value.trim() === '') {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${name} must be 1 to ${String(NAME_MAX)} characters, not blank, without control characters`,
    );
  }
  return value;
}

// GB 11643-1999: ISO 7064 MOD 11-2 weights 2^(17-i) mod 11.
const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The check character a resident ID's first 17 digits call for. */
export function residentIdCheckCharacter(first17: string): string {
  const sum = RESIDENT_WEIGHTS.reduce((total, weight, i) => total + weight * Number(first17[i]), 0);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

// GB 32100-2015: 31 characters (no I, O, S, V, Z) and weights 3^i mod 31.
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character a unified social credit code's first 17 characters call for. */
export function creditCodeCheckCharacter(first17: string): string {
  const sum = CREDIT_CODE_WEIGHTS.reduce(
    (total, weight, i) => total + weight * CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i)),
    0,
  );
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

interface IdRule {
  readonly pattern: RegExp;
  readonly expected: string;
  readonly check?: { readonly standard: string; readonly character: (first17: string) => string };
}

const PERMIT: IdRule = { pattern: /^[A-Z0-9]{6,20}$/, expected: '6 to 20 upper-case letters or digits' };

/**
 * ID numbers are upper case: a lower-case x in a resident ID is refused, not
 * upper-cased, so the commitment the client computes over what it sent is the
 * one the ledger stores.
 */
const ID_RULES: Readonly<Record<IdType, IdRule>> = {
  RESIDENT_ID: {
    pattern: /^[0-9]{17}[0-9X]$/,
    expected: '18 characters: 17 digits and a check character 0-9 or upper-case X',
    check: { standard: 'GB 11643-1999 (ISO 7064 MOD 11-2)', character: residentIdCheckCharacter },
  },
  PASSPORT: { pattern: /^[A-Z0-9]{5,20}$/, expected: '5 to 20 upper-case letters or digits' },
  HK_MACAO_PERMIT: PERMIT,
  TAIWAN_PERMIT: PERMIT,
  FOREIGN_PERMANENT_RESIDENT: PERMIT,
  BUSINESS_LICENSE: {
    pattern: /^[0-9A-HJ-NPQRTUWXY]{18}$/,
    expected:
      'an 18-character unified social credit code (digits and upper-case letters except I, O, S, V, Z)',
    check: { standard: 'GB 32100-2015', character: creditCodeCheckCharacter },
  },
};

/** Never echoes the number: error sentences end up in peer logs. */
export function requireIdNumber(idType: IdType, value: unknown, name = 'user.idNumber'): string {
  const rule = ID_RULES[idType];
  const number = requireText(value, name, {
    expected: `${rule.expected} for ${idType}`,
    pattern: rule.pattern,
    maxLength: 20,
  });
  if (rule.check !== undefined && rule.check.character(number.slice(0, 17)) !== number.charAt(17)) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${name} has a wrong check character for ${idType} (${rule.check.standard})`,
    );
  }
  return number;
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
