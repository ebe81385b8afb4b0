import { createHash } from 'node:crypto';
import { assetIdFor, requireAssetId, requireMspId, requireReference, requireUserId, userIdFor } from './ids';

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

describe('ID guards', () => {
  const user = userIdFor('P', 'r');
  const asset = assetIdFor('P', 'r');

  it('accepts derived IDs', () => {
    expect(requireUserId(user)).toBe(user);
    expect(requireAssetId(asset)).toBe(asset);
  });

  it.each([asset, user.toUpperCase(), `${user}0`, 'U1', ''])('refuses %j as a user ID', (id) => {
    expect(() => requireUserId(id)).toThrow(/^INVALID_ARGUMENT: userId must be a user ID/);
  });

  it.each([user, 'A1'])('refuses %j as an asset ID', (id) => {
    expect(() => requireAssetId(id)).toThrow(/^INVALID_ARGUMENT: assetId must be an asset ID/);
  });

  it.each(['alice', 'a.b:c-d_e', 'r'.repeat(64)])('accepts reference %s', (ref) => {
    expect(requireReference(ref, 'platformRef')).toBe(ref);
  });

  it.each(['', 'r'.repeat(65), 'a b', 'a/b', '用户'])('refuses reference %j', (ref) => {
    expect(() => requireReference(ref, 'platformRef')).toThrow(
      /^INVALID_ARGUMENT: platformRef must be 1 to 64/,
    );
  });

  it.each(['Platform1MSP', 'Org.1-MSP'])('accepts MSP ID %s', (id) => {
    expect(requireMspId(id)).toBe(id);
  });

  it.each(['', '1MSP', 'a b'])('refuses MSP ID %j', (id) => {
    expect(() => requireMspId(id)).toThrow(/^INVALID_ARGUMENT: mspId must be an MSP ID/);
  });
});
