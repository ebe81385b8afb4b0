// A Caliper transaction observer that appends every finished transaction's
// round, outcome and Caliper's own timestamps (created, final) to the file
// CROWDLEDGER_CALIPER_TXLOG names, one JSON line each: Caliper's report has
// only min/avg/max latency, and summary.mjs reads percentiles from this file.
import { appendFileSync } from 'node:fs';
import process from 'node:process';

class FileTxObserver {
  /** @type {string} */
  #file;
  #round = '';
  #active = false;

  /** @param {string} file */
  constructor(file) {
    this.#file = file;
  }

  /** @param {number} _index @param {string} label */
  activate(_index, label) {
    this.#round = label;
    this.#active = true;
    return Promise.resolve();
  }

  deactivate() {
    this.#active = false;
    return Promise.resolve();
  }

  txSubmitted() {
    // Only finished transactions are recorded.
  }

  /** @param {{IsCommitted(): boolean, GetTimeCreate(): number, GetTimeFinal(): number} | {IsCommitted(): boolean, GetTimeCreate(): number, GetTimeFinal(): number}[]} results */
  txFinished(results) {
    if (!this.#active) {
      return;
    }
    const lines = (Array.isArray(results) ? results : [results]).map((r) =>
      JSON.stringify({
        round: this.#round,
        ok: r.IsCommitted(),
        create: r.GetTimeCreate(),
        final: r.GetTimeFinal(),
      }),
    );
    appendFileSync(this.#file, `${lines.join('\n')}\n`);
  }
}

export function createTxObserver() {
  const file = process.env.CROWDLEDGER_CALIPER_TXLOG;
  if (file === undefined) {
    throw new Error('CROWDLEDGER_CALIPER_TXLOG must name the file for transaction records');
  }
  return new FileTxObserver(file);
}
