import { PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/protocol';
import { closesAt, opensAt, surelyBefore, surelyReached } from './deadlines';

const DEADLINE = '2026-03-01T12:00:00.000Z';
const at = (offsetMs: number): Date => new Date(Date.parse(DEADLINE) + offsetMs);
const W = PROPOSAL_TIME_WINDOW_MS;

describe('deadline margins', () => {
  it('allows an act before the deadline only while the timestamp is more than one window before it', () => {
    expect(surelyBefore(at(-W - 1), DEADLINE)).toBe(true);
    expect(surelyBefore(at(-W), DEADLINE)).toBe(false);
    expect(surelyBefore(at(-1), DEADLINE)).toBe(false);
    expect(closesAt(DEADLINE)).toBe(at(-W).toISOString());
  });

  it('allows an act after the deadline only from one window after it', () => {
    expect(surelyReached(at(W - 1), DEADLINE)).toBe(false);
    expect(surelyReached(at(W), DEADLINE)).toBe(true);
    expect(surelyReached(at(0), DEADLINE)).toBe(false);
    expect(opensAt(DEADLINE)).toBe(at(W).toISOString());
  });

  it('leaves no instant at which both a before-act and an after-act could run', () => {
    for (const offset of [-2 * W, -W, -1, 0, 1, W - 1, W, 2 * W]) {
      expect(surelyBefore(at(offset), DEADLINE) && surelyReached(at(offset), DEADLINE)).toBe(false);
    }
  });
});
