import { PROPOSAL_TIME_WINDOW_MS } from '@crowdledger/protocol';

/*
 * Deadlines against a clock the caller sets. The chaincode's only time is
 * the proposal's timestamp, which the client chooses; each endorsing peer
 * accepts it only within PROPOSAL_TIME_WINDOW_MS (W, 30 seconds: the peers'
 * peer.authentication.timewindow) of its own clock. So every deadline rule
 * keeps W as a margin:
 *
 * - an act allowed only before an instant (buying from a listing, accepting
 *   an offer, committing to or withdrawing from a campaign, using a signed
 *   request) runs only while the timestamp is more than W before it: by
 *   every clock the peers accept, it then happened before the instant;
 * - an act allowed only once an instant has passed (expiring a listing or
 *   an offer, settling a campaign) runs only from W after it.
 *
 * Between the two lies a gap of 2W in which neither runs.
 */

const W = PROPOSAL_TIME_WINDOW_MS;

/** True when a transaction at `at` surely happened before `instant`. */
export function surelyBefore(at: Date, instant: string): boolean {
  return at.getTime() + W < Date.parse(instant);
}

/** True when a transaction at `at` surely happened at or after `instant`. */
export function surelyReached(at: Date, instant: string): boolean {
  return at.getTime() - W >= Date.parse(instant);
}

/** The first transaction time refused by {@link surelyBefore}: one window before `instant`. */
export function closesAt(instant: string | number): string {
  return new Date(millisOf(instant) - W).toISOString();
}

/** The first transaction time allowed by {@link surelyReached}: one window after `instant`. */
export function opensAt(instant: string): string {
  return new Date(Date.parse(instant) + W).toISOString();
}

function millisOf(instant: string | number): number {
  return typeof instant === 'number' ? instant : Date.parse(instant);
}
