import type { Decoder } from '../decode';
import type { ContractInvoker } from '../invoker';
import { type HistoryKind } from '@crowdledger/protocol';
import { decoders, type HistoryEntry, type HistoryRecords } from '../model';
import type { GroupContext } from './context';

/** Compliance reads (R14). */
export interface AuditApi {
  /**
   * Every committed version of one record, newest first. `id` is a user ID
   * (kind `user`), an asset ID (`asset`), a listing, offer or trade ID
   * (`listing`, `offer`, `trade`), or `assetId/userId` (`holding`,
   * `certificate`).
   */
  history<K extends HistoryKind>(kind: K, id: string): Promise<HistoryEntry<HistoryRecords[K]>[]>;
}

// Mapped by kind, so that indexing with K gives K's decoder.
const HISTORY: { readonly [K in HistoryKind]: Decoder<HistoryEntry<HistoryRecords[K]>[]> } = decoders.history;

/** The {@link AuditApi} over the `audit` contract. */
export class AuditClient implements AuditApi {
  readonly #audit: ContractInvoker<'audit'>;

  constructor(context: GroupContext) {
    this.#audit = context.contract('audit');
  }

  history<K extends HistoryKind>(kind: K, id: string): Promise<HistoryEntry<HistoryRecords[K]>[]> {
    return this.#audit.evaluate('History', HISTORY[kind], [kind, id]);
  }
}
