import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { hash, signers } from '@hyperledger/fabric-gateway';
import { isLowS } from './ca/ecdsa';
import { newLowSSigning } from './signer';

describe('newLowSSigning', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = createPublicKey(privateKey);
  const { signer, hash: signingHash } = newLowSSigning(privateKey);

  it('makes DER ECDSA-SHA256 signatures over the whole message that node:crypto verifies, all low-S', async () => {
    let lowS = 0;
    for (let i = 0; i < 200; i += 1) {
      const message = randomBytes(64 + i);
      const signature = await signer(message);
      expect(verify('sha256', message, publicKey, signature)).toBe(true);
      if (isLowS(signature)) {
        lowS += 1;
      }
    }
    // Without normalising, about half would be high-S.
    expect(lowS).toBe(200);
  });

  it('tells the gateway not to hash, since it signs the message itself', () => {
    expect(signingHash).toBe(hash.none);
  });

  it("signs what the gateway's own signer signs, verifiable the same way", async () => {
    const message = randomBytes(300);
    const theirs = await signers.newPrivateKeySigner(privateKey)(hash.sha256(message));
    const ours = await signer(message);
    expect(verify('sha256', message, publicKey, theirs)).toBe(true);
    expect(verify('sha256', message, publicKey, ours)).toBe(true);
  });

  it('refuses a key that is not ECDSA, as INVALID_IDENTITY', () => {
    const { privateKey: ed } = generateKeyPairSync('ed25519');
    expect(() => newLowSSigning(ed)).toThrow(/^INVALID_IDENTITY: /);
  });
});
