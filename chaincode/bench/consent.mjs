// Cost of checking one user's consent with the chaincode's own code
// (rules/consent.ts over @crowdledger/protocol): reading the signed request
// from the arguments (JSON, canonical form, fields) and verifying its ES256
// signature under the user's key. Every endorsing peer's chaincode pays this
// once per trades:Buy (and every other act that moves units), besides its
// two state reads (the key and the request ID).
//
//   npm run build && node chaincode/bench/consent.mjs [checks]
//
// Prints µs per check, the best of three runs, one check after another.
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';
import { availableParallelism } from 'node:os';
import console from 'node:console';
import process from 'node:process';

const require = createRequire(import.meta.url);
/** @type {typeof import('../src/rules/consent')} */
const consent = require('../dist/rules/consent.js');
/** @type {typeof import('../src/rules/transaction-keys')} */
const keys = require('../dist/rules/transaction-keys.js');
/** @type {typeof import('@crowdledger/protocol')} */
const protocol = require('@crowdledger/protocol');

const checks = Number(process.argv[2] ?? 5000);
const userId = `U${'a'.repeat(32)}`;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const key = keys.newTransactionKey(userId, protocol.publicKeyText(publicKey), new Date());

/** A buy as the SDK signs it: a fresh request ID each time. */
function signedBuy() {
  const request = {
    action: 'trades:Buy',
    params: { listingId: `L${'b'.repeat(32)}`, units: 10, pricePerUnit: 1250 },
    userId,
    requestId: randomUUID(),
    expiresAt: new Date(Date.now() + 300_000).toISOString(),
  };
  const bytes = protocol.consentBytes(request);
  const signature = sign('sha256', bytes, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return [protocol.consentText(request), signature.toString('base64url')];
}

const inputs = Array.from({ length: checks }, signedBuy);

function run() {
  const start = process.hrtime.bigint();
  for (const [text, signature] of inputs) {
    const signed = consent.readSignedRequest(text, signature, 'trades:Buy');
    consent.requireFresh(signed.request, new Date());
    if (!consent.isSignedBy(signed, key)) {
      throw new Error('a signature the bench made did not verify');
    }
  }
  return Number(process.hrtime.bigint() - start) / 1_000 / checks;
}

run(); // warm-up
const best = Math.min(run(), run(), run());
console.log(
  JSON.stringify({
    node: process.version,
    cpus: availableParallelism(),
    algorithm: 'ES256 (node:crypto, OpenSSL)',
    requestBytes: Buffer.byteLength(inputs[0][0]),
    checks,
    microsPerCheck: Number(best.toFixed(1)),
  }),
);
