import { type ContractName, type TransactionName, Transient } from '@crowdledger/protocol';
// What the trading groups (keys, listings, trades, offers, campaigns) share:
// the transaction key in the transient map, and committed refusals (R7).
import { type Decoder, object, oneOf, text } from '../decode';
import { errorFor } from '../errors';
import type { ContractInvoker, SubmitCall } from '../invoker';
import type { PageRequest } from './assets';

/** The acting user's transaction key (R7), for a call that moves or escrows their units. */
export interface KeyOptions {
  /**
   * The user's transaction key, 4 to 128 characters. It travels only in the
   * transient map (field `key`), never in the arguments, so it reaches no block.
   */
  readonly key: string;
}

/** An instant as the chaincode wants it: ISO-8601. A Date is written with toISOString(). */
export type Instant = string | Date;

type Outcome<T> =
  | { readonly outcome: 'OK'; readonly value: T }
  | { readonly outcome: 'REFUSED'; readonly code: string; readonly sentence: string };

const outcomeField = object<{ outcome: 'OK' | 'REFUSED' }>({ outcome: oneOf(['OK', 'REFUSED'] as const) });
const refusalFields = object<{ code: string; sentence: string }>({ code: text, sentence: text });

/** `{outcome: "OK", …}` read with `ok`, or `{outcome: "REFUSED", code, sentence}`. */
function outcomeOf<T>(ok: Decoder<T>): Decoder<Outcome<T>> {
  return (value, path) => {
    const { outcome } = outcomeField(value, path);
    return outcome === 'OK'
      ? { outcome, value: ok(value, path) }
      : { outcome, ...refusalFields(value, path) };
  };
}

/** The ISO-8601 text of an instant. */
export function isoInstant(instant: Instant): string {
  return typeof instant === 'string' ? instant : instant.toISOString();
}

const DEFAULT_PAGE_SIZE = 100;

/** A paged read's last two arguments: page size in digits, and bookmark. */
export function pageArguments(page: PageRequest): string[] {
  return [String(page.pageSize ?? DEFAULT_PAGE_SIZE), page.bookmark ?? ''];
}

/**
 * Submits a key-gated transaction with the key in the transient map. An OK
 * outcome is decoded with `ok`; a REFUSED one is thrown as a CrowdLedgerError
 * with its code (BAD_TRANSACTION_KEY or LOCKED), sentence, stage `commit`
 * and the transaction's ID: the refusal was committed, with the user's
 * failure count, and nothing else was written.
 */
export async function submitWithKey<T, C extends ContractName>(
  invoker: ContractInvoker<C>,
  transaction: TransactionName<C>,
  ok: Decoder<T>,
  key: KeyOptions,
  call: Omit<SubmitCall, 'transientData'> = {},
): Promise<T> {
  const { result, transactionId } = await invoker.submitCommitted(transaction, outcomeOf(ok), {
    ...call,
    transientData: { [Transient.transactionKey]: key.key },
  });
  if (result.outcome === 'REFUSED') {
    throw errorFor(result.code, result.sentence, { stage: 'commit', transactionId });
  }
  return result.value;
}

/** What a paged read returns: its records and the bookmark of the next page ('' after the last). */
interface PageOf<T> {
  readonly records: readonly T[];
  readonly bookmark: string;
}

/**
 * Every page of a paged read, walking the bookmarks; stops at an empty or
 * repeated bookmark or an empty page. The next page is read only when the
 * caller asks for it, so it may change the ledger in between.
 */
export async function* eachPage<P extends PageOf<unknown>>(
  read: (page: PageRequest) => Promise<P>,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<P> {
  const seen = new Set<string>();
  for (let bookmark = ''; ;) {
    const page = await read({ pageSize, bookmark });
    yield page;
    if (page.bookmark === '' || page.records.length === 0 || seen.has(page.bookmark)) {
      return;
    }
    seen.add(page.bookmark);
    bookmark = page.bookmark;
  }
}

/** Every record of a paged read, walking the pages (see {@link eachPage}). */
export async function* allPages<T>(
  read: (page: PageRequest) => Promise<PageOf<T>>,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<T> {
  for await (const page of eachPage(read, pageSize)) {
    yield* page.records;
  }
}
