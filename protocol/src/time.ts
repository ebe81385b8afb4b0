/**
 * How far a proposal's timestamp may lie from an endorsing peer's clock:
 * the peers' `peer.authentication.timewindow` (network/lib/nodes.sh sets it
 * to {@link PROPOSAL_TIME_WINDOW}; Fabric's default is 15 minutes). The
 * chaincode's only clock is that timestamp, which the client chooses, so
 * every deadline rule keeps this margin: an act that must happen before a
 * deadline is taken only while the timestamp is more than one window before
 * it, and one that may happen only after is taken only from one window after.
 */
export const PROPOSAL_TIME_WINDOW_MS = 30_000;

/** {@link PROPOSAL_TIME_WINDOW_MS} as core.yaml writes a duration. */
export const PROPOSAL_TIME_WINDOW = '30s';

// The one form the ledger stores: Date.prototype.toISOString of a year 0000–9999.
const LEDGER_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * True for an instant in the ledger's one form, `2026-01-31T08:00:00.000Z`,
 * that names a real moment: it must read back to the same text, so
 * `2026-13-01T…` and `2026-02-30T…` (which a lenient parser rolls into March)
 * are not instants.
 */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !LEDGER_INSTANT.test(value)) {
    return false;
  }
  const millis = Date.parse(value);
  return Number.isFinite(millis) && new Date(millis).toISOString() === value;
}

/** What {@link isInstant} accepts, for sentences. */
export const INSTANT_EXPECTED =
  'an ISO-8601 UTC instant such as 2025-01-31T08:00:00.000Z, a real date and time';
