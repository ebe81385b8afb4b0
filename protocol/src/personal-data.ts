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
