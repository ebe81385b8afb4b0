// Where issueDue keeps the holdings it could not finish, so that one failing
// holding never stalls the event feed: the run records it, checkpoints the
// event and goes on; the next run retries it first (R3).
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomic-file';
import { ClientErrorCode, CrowdLedgerError, type CrowdLedgerErrorCode } from '../errors';
import type { DueHolding } from './issuance';

/** What a run had to do for a holding: issue its certificate, or revoke one at the CA. */
export type CertificateAction = 'issue' | 'revoke';

/** A holding a run could not finish, kept until a later run does. */
export interface PendingHolding extends DueHolding {
  /** What is left to do. */
  readonly action: CertificateAction;
  /** The code of the last failure. */
  readonly code: CrowdLedgerErrorCode;
  /** Its sentence. */
  readonly sentence: string;
  /** ISO-8601 time of the last failure. */
  readonly failedAt: string;
  /** How many runs have tried it. */
  readonly attempts: number;
}

/** Keeps the pending holdings between runs. */
export interface PendingStore {
  /** Every pending holding; none the first time. */
  load(): Promise<PendingHolding[]>;
  /** Replaces them all; must be durable when it resolves (the event is checkpointed next). */
  save(pending: readonly PendingHolding[]): Promise<void>;
}

/** The key of a pending holding: one entry per action and holding. */
export function pendingKey(holding: DueHolding & { readonly action: CertificateAction }): string {
  return `${holding.action} ${holding.assetId}/${holding.holderId}`;
}

/** A JSON file, replaced atomically and owner-only; absent means none pending. */
export function filePendingStore(path: string): PendingStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return [];
        }
        throw new CrowdLedgerError(ClientErrorCode.fileUnreadable, `cannot read ${path}`, { cause: error });
      }
      return parsePending(text, path);
    },
    save: (pending) => writeFileAtomic(path, `${JSON.stringify({ pending }, null, 2)}\n`),
  };
}

/** Kept in memory: lost when the process ends. */
export function memoryPendingStore(): PendingStore {
  let kept: PendingHolding[] = [];
  return {
    load: () => Promise.resolve([...kept]),
    save: (pending) => {
      kept = [...pending];
      return Promise.resolve();
    },
  };
}

function parsePending(text: string, path: string): PendingHolding[] {
  const bad = (cause?: unknown): CrowdLedgerError =>
    new CrowdLedgerError(ClientErrorCode.fileUnreadable, `${path} is not a list of pending holdings`, {
      cause,
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (cause) {
    throw bad(cause);
  }
  const pending = (parsed as { pending?: unknown } | null)?.pending;
  if (!Array.isArray(pending) || !pending.every(isPending)) {
    throw bad();
  }
  return pending;
}

function isPending(value: unknown): value is PendingHolding {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  const texts = ['assetId', 'holderId', 'code', 'sentence', 'failedAt'].every(
    (k) => typeof v[k] === 'string',
  );
  return (
    texts && (v['action'] === 'issue' || v['action'] === 'revoke') && Number.isSafeInteger(v['attempts'])
  );
}
