import { createHash, createHmac } from 'node:crypto';
import {
  assetIdFor,
  isAssetId,
  isUserId,
  listingIdFor,
  referenceDigest,
  referenceSecretFingerprint,
  tradeIdFor,
  userIdFor,
} from './ids';
import { maskIdNumber } from './personal-data';

const SECRET = '0f'.repeat(32);

describe('derived IDs', () => {
  it('names a user U + the first 32 hex digits of sha256(mspId \\n HMAC-SHA256(secret, ref))', () => {
    const digest = createHmac('sha256', Buffer.from(SECRET, 'hex')).update('alice').digest('hex');
    expect(referenceDigest(SECRET, 'alice')).toBe(digest);
    const id = createHash('sha256').update(`Platform1MSP\n${digest}`).digest('hex');
    expect(userIdFor('Platform1MSP', SECRET, 'alice')).toBe(`U${id.slice(0, 32)}`);
  });

  it('names an asset A + the first 32 hex digits of sha256(mspId \\n ref), unkeyed', () => {
    const digest = createHash('sha256').update('Platform1MSP\nalice').digest('hex');
    expect(assetIdFor('Platform1MSP', 'alice')).toBe(`A${digest.slice(0, 32)}`);
  });

  it('is the same for the same platform, secret and reference, and differs across platforms and secrets', () => {
    expect(userIdFor('Platform1MSP', SECRET, 'x')).toBe(userIdFor('Platform1MSP', SECRET, 'x'));
    expect(userIdFor('Platform1MSP', SECRET, 'x')).not.toBe(userIdFor('Platform2MSP', SECRET, 'x'));
    expect(userIdFor('Platform1MSP', SECRET, 'x')).not.toBe(userIdFor('Platform1MSP', 'f0'.repeat(32), 'x'));
  });

  it('refuses a secret that is not 64 lower-case hex digits rather than reading part of it', () => {
    for (const bad of ['', '0f'.repeat(31), `${'0f'.repeat(31)}zz`, SECRET.toUpperCase()]) {
      expect(() => userIdFor('Platform1MSP', bad, 'x')).toThrow(/reference secret must be 64 lower-case hex/);
      expect(() => referenceSecretFingerprint(bad)).toThrow(TypeError);
    }
  });

  it('fingerprints a secret without the user-ID derivation', () => {
    const fingerprint = createHash('sha256')
      .update('crowdledger reference secret\n')
      .update(Buffer.from(SECRET, 'hex'))
      .digest('hex');
    expect(referenceSecretFingerprint(SECRET)).toBe(fingerprint);
  });
});

describe('transaction-derived IDs', () => {
  it('names listings, offers and trades after their transaction', () => {
    const digest = createHash('sha256').update('tx1').digest('hex');
    expect(listingIdFor('tx1')).toBe(`L${digest.slice(0, 32)}`);
    expect(tradeIdFor('tx1')).toBe(`T${digest.slice(0, 32)}`);
  });

  it('gives each buyer of one settlement its own trade ID', () => {
    expect(tradeIdFor('tx1', 'Ua')).not.toBe(tradeIdFor('tx1', 'Ub'));
  });
});

describe('ID formats', () => {
  it('tell user IDs from asset IDs', () => {
    const user = userIdFor('Platform1MSP', SECRET, 'alice');
    expect(isUserId(user)).toBe(true);
    expect(isAssetId(user)).toBe(false);
    expect(isAssetId(assetIdFor('Platform1MSP', 'alice'))).toBe(true);
    expect(isUserId(user.toUpperCase())).toBe(false);
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 2 characters of a resident ID', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110*************2X');
  });

  it('never shows more than half of a short number', () => {
    expect(maskIdNumber('E1234567')).toBe('E1****67');
    expect(maskIdNumber('A1234')).toBe('A***4');
    expect(maskIdNumber('ABC')).toBe('***');
  });
});
