import { createHash } from 'node:crypto';
import { assetIdFor, isAssetId, isUserId, listingIdFor, tradeIdFor, userIdFor } from './ids';
import { maskIdNumber } from './personal-data';

describe('derived IDs', () => {
  it('is U or A and the first 32 hex digits of sha256(mspId \\n ref)', () => {
    const digest = createHash('sha256').update('Platform1MSP\nalice').digest('hex');
    expect(userIdFor('Platform1MSP', 'alice')).toBe(`U${digest.slice(0, 32)}`);
    expect(assetIdFor('Platform1MSP', 'alice')).toBe(`A${digest.slice(0, 32)}`);
  });

  it('is the same for the same platform and reference, and differs across platforms', () => {
    expect(userIdFor('Platform1MSP', 'x')).toBe(userIdFor('Platform1MSP', 'x'));
    expect(userIdFor('Platform1MSP', 'x')).not.toBe(userIdFor('Platform2MSP', 'x'));
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
    const user = userIdFor('Platform1MSP', 'alice');
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
