import type { Operation } from '../drive';
import { setup, type World } from '../world';

/** The key every baseline evaluate reads. */
const READ_KEY = 'bench-read';

/** What the baseline chaincode does in a phase: one read and one write (submit), or one read (evaluate). */
export type BaselineMode = 'submit' | 'evaluate';

/** The name the baseline's rows carry. */
export function baselineName(mode: BaselineMode): string {
  return mode === 'submit' ? 'baseline' : 'baseline-read';
}

/**
 * The baseline's operation: `Put` reads its key and writes it (a new key per
 * operation, so two never conflict); `Get` reads one key. Both go through the
 * same gateway, channel and endorsement policy as every workload.
 */
export async function baselineOperation(world: World, mode: BaselineMode): Promise<Operation> {
  const contract = world.baseline;
  if (mode === 'evaluate') {
    await world.fixture('baseline-read-key', () =>
      setup(() => contract.submitTransaction('Put', READ_KEY, 'x')),
    );
    return () => contract.evaluateTransaction('Get', READ_KEY);
  }
  const phase = world.reference('baseline');
  return (_slot, index) => contract.submitTransaction('Put', `${phase}-${String(index)}`, 'x');
}
