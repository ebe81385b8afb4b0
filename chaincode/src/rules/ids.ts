import { createHash } from 'node:crypto';
import { requireText } from './guards';

/**
 * IDs are hashes of the platform's MSP ID and its own reference, not of the
 * transaction ID: a retried registration then lands on the same key and fails
 * as a duplicate instead of creating a second record. Any client can compute
 * them the same way, so these functions are part of the public contract.
 */
function derivedId(kind: 'U' | 'A', mspId: string, reference: string): string {
  const digest = createHash('sha256').update(`${mspId}\n${reference}`, 'utf8').digest('hex');
  return `${kind}${digest.slice(0, 32)}`;
}

/** "U" + the first 32 hex digits of sha256(mspId + "\n" + platformRef). */
export function userIdFor(mspId: string, platformRef: string): string {
  return derivedId('U', mspId, platformRef);
}

/** "A" + the first 32 hex digits of sha256(mspId + "\n" + assetRef). */
export function assetIdFor(mspId: string, assetRef: string): string {
  return derivedId('A', mspId, assetRef);
}

const USER_ID = /^U[0-9a-f]{32}$/;
const ASSET_ID = /^A[0-9a-f]{32}$/;
const REFERENCE = /^[A-Za-z0-9_.:-]+$/;
const MSP_ID = /^[A-Za-z][A-Za-z0-9._-]*$/;

export function isUserId(value: string): boolean {
  return USER_ID.test(value);
}

export function isAssetId(value: string): boolean {
  return ASSET_ID.test(value);
}

export function requireUserId(value: unknown, name = 'userId'): string {
  return requireText(value, name, {
    expected: 'a user ID: U followed by 32 lower-case hex digits',
    pattern: USER_ID,
    maxLength: 33,
  });
}

export function requireAssetId(value: unknown, name = 'assetId'): string {
  return requireText(value, name, {
    expected: 'an asset ID: A followed by 32 lower-case hex digits',
    pattern: ASSET_ID,
    maxLength: 33,
  });
}

/** A platform's own reference for a user or asset. */
export function requireReference(value: unknown, name: string): string {
  return requireText(value, name, {
    expected: '1 to 64 characters of A-Z, a-z, 0-9, _, ., : or -',
    pattern: REFERENCE,
    maxLength: 64,
  });
}

export function requireMspId(value: unknown, name = 'mspId'): string {
  return requireText(value, name, {
    expected: 'an MSP ID such as Platform1MSP',
    pattern: MSP_ID,
    maxLength: 64,
  });
}
