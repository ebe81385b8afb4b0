// Time per signature: the gateway's default P-256 signer (@noble/curves,
// over a SHA-256 digest) against the SDK's node:crypto low-S signer (over the
// message). Build first, then: node client/bench/signer.ts [signatures]
import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { hash, signers } from '@hyperledger/fabric-gateway';
import { isLowS, newLowSSigning } from '../dist/index.js';

type Sign = (message: Uint8Array) => Promise<Uint8Array>;

async function microsPerSignature(sign: Sign, messages: readonly Uint8Array[]): Promise<number> {
  const start = process.hrtime.bigint();
  for (const message of messages) {
    await sign(message);
  }
  return Number(process.hrtime.bigint() - start) / 1_000 / messages.length;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '2000');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicKey = createPublicKey(privateKey);
  // About the size of a signed proposal.
  const messages = Array.from({ length: count }, () => randomBytes(1_500));
  const gatewaySigner = signers.newPrivateKeySigner(privateKey);
  const candidates: [string, Sign][] = [
    ['gateway signers.newPrivateKeySigner (sha256 + @noble/curves)', (m) => gatewaySigner(hash.sha256(m))],
    ['CrowdLedger newLowSSigning (node:crypto + low-S)', newLowSSigning(privateKey).signer],
  ];
  for (const [name, sign] of candidates) {
    const last = messages[0] ?? randomBytes(1);
    const signature = await sign(last);
    if (!verify('sha256', last, publicKey, signature) || !isLowS(signature)) {
      throw new Error(`${name} made a signature that does not verify or is high-S`);
    }
    await microsPerSignature(sign, messages.slice(0, 200));
    const best = Math.min(
      await microsPerSignature(sign, messages),
      await microsPerSignature(sign, messages),
      await microsPerSignature(sign, messages),
    );
    console.log(`${name}: ${best.toFixed(1)} µs/signature (best of 3 x ${String(count)})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
