// Prints one row per Caliper round from observer.mjs's records: successes,
// failures, tx/s (successes ÷ the time from the first transaction created to
// the last one finished: Caliper's throughput, which also counts failures,
// is the same when nothing fails), and latency percentiles of the successes
// by the bench's own nearest-rank code (bench/dist/stats.js), and the mean
// number in flight (every latency added up ÷ the same time: what Caliper's
// fixed-load controller really kept, which can be below its target).
//   node bench/caliper/summary.mjs TXLOG.jsonl
import { readFileSync } from 'node:fs';
import console from 'node:console';
import { createRequire } from 'node:module';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const { summarize } = createRequire(fileURLToPath(import.meta.url))('../dist/stats.js');

/** @typedef {{round: string, ok: boolean, create: number, final: number}} TxRecord */

/** @param {readonly TxRecord[]} records */
function row(records) {
  const ok = records.filter((r) => r.ok);
  const start = Math.min(...records.map((r) => r.create));
  const end = Math.max(...records.map((r) => r.final));
  const latency = summarize(ok.map((r) => r.final - r.create));
  const busy = records.reduce((sum, r) => sum + r.final - r.create, 0);
  return [ok.length, records.length - ok.length, (ok.length / ((end - start) / 1000)).toFixed(1)]
    .concat([latency.p50, latency.p95, latency.p99].map((ms) => Math.round(ms)))
    .concat([(busy / (end - start)).toFixed(1)])
    .map(String);
}

const [file] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node summary.mjs TXLOG.jsonl');
  process.exit(2);
}
/** @type {Map<string, TxRecord[]>} */
const rounds = new Map();
for (const line of readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l !== '')) {
  /** @type {TxRecord} */
  const record = JSON.parse(line);
  rounds.set(record.round, [...(rounds.get(record.round) ?? []), record]);
}
console.log('| round | succ | fail | tx/s | p50 ms | p95 ms | p99 ms | mean in flight |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [round, records] of rounds) {
  console.log(`| ${[round, ...row(records)].join(' | ')} |`);
}
