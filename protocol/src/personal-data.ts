import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';

/** Identity documents a user can register with. */
export const ID_TYPES = [
  'RESIDENT_ID',
  'PASSPORT',
  'HK_MACAO_PERMIT',
  'TAIWAN_PERMIT',
  'FOREIGN_PERMANENT_RESIDENT',
  'BUSINESS_LICENSE',
] as const;

/** An identity document type. */
export type IdType = (typeof ID_TYPES)[number];

const NAME_MAX = 100;
// Control characters and lone surrogates cannot be shown or round-trip
// through UTF-8; everything else, the middle dot of 阿卜杜热西提·买买提
// included, is stored exactly as given (no trimming, no normalisation).
const NAME = /^[^\p{Cc}\p{Cs}]+$/u;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * Why a person's name can't be registered, as the end of a sentence ("must
 * be …"), or undefined for a good one: 1 to 100 Unicode characters (code
 * points), not blank, no control characters. The chaincode refuses with it,
 * and a client checks rows with it before sending them (register imports).
 */
export function personNameProblem(value: string): string | undefined {
  // Code points, so a name outside the BMP is not counted twice.
  const length = value.replace(SURROGATE_PAIR, '_').length;
  if (length === 0 || length > NAME_MAX || !NAME.test(value) || value.trim() === '') {
    return `must be 1 to ${String(NAME_MAX)} characters, not blank, without control characters`;
  }
  return undefined;
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

/**
 * Why an ID number can't be registered under its type, as the end of a
 * sentence ("must be …", "has a wrong check character …"), or undefined for
 * a good one. It never echoes the number: sentences end up in logs and reports.
 */
export function idNumberProblem(idType: IdType, value: string): string | undefined {
  const rule = ID_RULES[idType];
  if (value.length === 0 || value.length > 20 || !rule.pattern.test(value)) {
    return `must be ${rule.expected} for ${idType}`;
  }
  if (rule.check !== undefined && rule.check.character(value.slice(0, 17)) !== value.charAt(17)) {
    return `has a wrong check character for ${idType} (${rule.check.standard})`;
  }
  return undefined;
}

/** What the transient field `user` carries at registration. */
export interface PersonalDetails {
  /** Exactly as registered: no trimming or Unicode normalisation. */
  readonly name: string;
  /** The kind of identity document. */
  readonly idType: IdType;
  /** The document's number, upper case (refused, not converted, otherwise). */
  readonly idNumber: string;
}

/** What a user's commitment covers. */
export interface CommittedFields extends PersonalDetails {
  /** The platform's own reference for the user. */
  readonly platformRef: string;
}

/**
 * The commitment the ledger keeps for a user (R12): sha256(salt bytes ‖
 * UTF-8 of the sorted-key JSON of {idNumber, idType, name, platformRef}),
 * lower-case hex. Public state keeps only this; a platform holding the
 * private record can prove what was registered.
 */
export function userCommitment(saltHex: string, fields: CommittedFields): string {
  const json = canonicalJson({
    idNumber: fields.idNumber,
    idType: fields.idType,
    name: fields.name,
    platformRef: fields.platformRef,
  });
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(json, 'utf8').digest('hex');
}

/**
 * An ID number with all but its first 3 and last 2 characters replaced by
 * `*` ("110***********002X"). Never more than half is shown: a short number
 * keeps a quarter at each end (a 5-character passport keeps one and one).
 */
export function maskIdNumber(idNumber: string): string {
  // ID numbers are ASCII letters and digits (the chaincode refuses others).
  const length = idNumber.length;
  const quarter = Math.floor(length / 4);
  const head = Math.min(3, quarter);
  const tail = Math.min(2, quarter);
  return idNumber.slice(0, head) + '*'.repeat(length - head - tail) + idNumber.slice(length - tail);
}
