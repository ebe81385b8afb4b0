import type { Decoder } from '../decode';
import type { ContractInvoker } from '../invoker';
import { type HistoryKind } from '@crowdledger/protocol';
import { decoders, type HistoryEntry, type HistoryRecords, type Page } from '../model';
import type { PageRequest } from './assets';
import type { GroupContext } from './context';
import { allPages, pageArguments } from './trading';

/** Compliance reads (R14). */
export interface AuditApi {
  /**
   * One page of the committed versions of one record, newest first. `id` is
   * a user ID (kind `user`), an asset ID (`asset`), a listing, offer or
   * trade ID (`listing`, `offer`, `trade`), or `assetId/userId` (`holding`,
   * `certificate`). The bookmark is the transaction ID of the page's last
   * entry; '' after the last page.
   */
  historyPage<K extends HistoryKind>(
    kind: K,
    id: string,
    page?: PageRequest,
  ): Promise<Page<HistoryEntry<HistoryRecords[K]>>>;
  /** Every committed version of one record, newest first, walking the pages. */
  history<K extends HistoryKind>(kind: K, id: string): Promise<HistoryEntry<HistoryRecords[K]>[]>;
}

// Mapped by kind, so that indexing with K gives K's decoder.
const HISTORY: { readonly [K in HistoryKind]: Decoder<Page<HistoryEntry<HistoryRecords[K]>>> } =
  decoders.history;

/** The {@link AuditApi} over the `audit` contract. */
export class AuditClient implements AuditApi {
  readonly #audit: ContractInvoker<'audit'>;

  constructor(context: GroupContext) {
    this.#audit = context.contract('audit');
  }

  historyPage<K extends HistoryKind>(
    kind: K,
    id: string,
    page: PageRequest = {},
  ): Promise<Page<HistoryEntry<HistoryRecords[K]>>> {
    return this.#audit.evaluate('History', HISTORY[kind], [kind, id, ...pageArguments(page)]);
  }

  async history<K extends HistoryKind>(kind: K, id: string): Promise<HistoryEntry<HistoryRecords[K]>[]> {
    const entries: HistoryEntry<HistoryRecords[K]>[] = [];
    for await (const entry of allPages((page) => this.historyPage(kind, id, page))) {
      entries.push(entry);
    }
    return entries;
  }
}
