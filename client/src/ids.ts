// The chaincode's public rules for IDs and commitments, computed the same way
// on the client (chaincode/src/rules/ids.ts and personal-data.ts). The SDK
// does not import the chaincode package, which would bring fabric-shim with
// it; ids.test.ts proves these equal the chaincode's own functions.
import { createHash } from 'node:crypto';
import type { IdType } from './model';

function derivedId(kind: 'U' | 'A', mspId: string, reference: string): string {
  const digest = createHash('sha256').update(`${mspId}\n${reference}`, 'utf8').digest('hex');
  return `${kind}${digest.slice(0, 32)}`;
}

/** "U" + the first 32 hex digits of sha256(mspId + "\n" + platformRef), as the chaincode assigns it. */
export function userIdFor(mspId: string, platformRef: string): string {
  return derivedId('U', mspId, platformRef);
}

/** "A" + the first 32 hex digits of sha256(mspId + "\n" + assetRef), as the chaincode assigns it. */
export function assetIdFor(mspId: string, assetRef: string): string {
  return derivedId('A', mspId, assetRef);
}

/** What a user's commitment covers. */
export interface CommittedFields {
  /** The platform's own reference for the user. */
  readonly platformRef: string;
  /** The name exactly as registered: no trimming or Unicode normalisation. */
  readonly name: string;
  /** The kind of identity document. */
  readonly idType: IdType;
  /** The document's number, upper case (the chaincode refuses lower case rather than converting it). */
  readonly idNumber: string;
}

/**
 * The commitment the ledger keeps for a user (R12): sha256(salt bytes ‖
 * UTF-8 of the sorted-key JSON of {idNumber, idType, name, platformRef}),
 * lower-case hex.
 */
export function userCommitment(saltHex: string, fields: CommittedFields): string {
  // Keys written in sorted order; JSON.stringify keeps insertion order.
  const json = JSON.stringify({
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
