// Cost of one transaction-key check with the chaincode's own KDF code and
// parameters (rules/transaction-keys.ts, OWASP's Argon2id minimum).
// Every endorsing peer's chaincode pays this once per key-gated transaction.
//
//   npm run build && node chaincode/bench/kdf.mjs [checks] [concurrent]
//
// Prints ms per check run one after another, and the wall time per check
// with several in flight (libuv's thread pool, 4 threads by default).
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import console from 'node:console';
import process from 'node:process';

const require = createRequire(import.meta.url);
/** @type {typeof import('../src/rules/transaction-keys')} */
const keys = require('../dist/rules/transaction-keys.js');

const checks = Number(process.argv[2] ?? 20);
const concurrent = Number(process.argv[3] ?? 4);
const cost = keys.OWASP_ARGON2ID;
const salt = keys.keySalt('bench-tx', `U${'0'.repeat(32)}`);

// One warm-up, so the first allocation is not counted.
await keys.deriveKeyHash('123456', salt, cost);

const sequential = process.hrtime.bigint();
for (let i = 0; i < checks; i += 1) {
  await keys.deriveKeyHash(String(100000 + i), salt, cost);
}
const perCheck = Number(process.hrtime.bigint() - sequential) / 1e6 / checks;

const parallel = process.hrtime.bigint();
const batch = [];
for (let i = 0; i < checks; i += 1) {
  batch.push(keys.deriveKeyHash(String(200000 + i), salt, cost));
  if (batch.length === concurrent) {
    await Promise.all(batch.splice(0));
  }
}
await Promise.all(batch);
const wallPerCheck = Number(process.hrtime.bigint() - parallel) / 1e6 / checks;

console.log(
  JSON.stringify({
    node: process.version,
    cpus: availableParallelism(),
    kdf: 'argon2id',
    ...cost,
    tagBytes: keys.TAG_BYTES,
    checks,
    msPerCheckSequential: Number(perCheck.toFixed(1)),
    concurrent,
    msWallPerCheckConcurrent: Number(wallPerCheck.toFixed(1)),
  }),
);
