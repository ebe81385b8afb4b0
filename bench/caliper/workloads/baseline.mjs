// Caliper round: the bench's baseline submit (bench/src/workloads/baseline.ts),
// `baseline:Put` on a new key every time, so that no two transactions conflict.
import { WorkloadModuleBase } from '@hyperledger/caliper-core';

class BaselinePut extends WorkloadModuleBase {
  #sent = 0;
  #phase = '';

  /** Caliper's arguments: workerIndex, totalWorkers, roundIndex, roundArguments, sutAdapter, sutContext. */
  async initializeWorkloadModule(/** @type {unknown[]} */ ...args) {
    await super.initializeWorkloadModule(...args);
    const [workerIndex, , roundIndex] = args;
    this.#phase = `caliper-${Date.now().toString(36)}-${String(workerIndex)}-${String(roundIndex)}`;
  }

  async submitTransaction() {
    this.#sent += 1;
    return this.sutAdapter.sendRequests({
      contractId: 'baseline',
      contractFunction: 'baseline:Put',
      contractArguments: [`${this.#phase}-${String(this.#sent)}`, 'x'],
      invokerIdentity: 'app',
      readOnly: false,
    });
  }
}

export function createWorkloadModule() {
  return new BaselinePut();
}
