// What the trading groups (keys, listings, trades, offers, campaigns) share:
// the user's signed request as the transaction's arguments (R7), and paging.
import type { ConsentParams, ContractName, SignedAction, TransactionName } from '@crowdledger/protocol';
import { type ConsentOptions, consentRequest, type ConsentSettings, signedArguments } from '../consent';
import type { Decoder } from '../decode';
import type { ContractInvoker } from '../invoker';
import type { PageRequest } from './assets';

export { type Instant, isoInstant } from '../consent';

/** One act the user consents to: what the request says, and how to sign it. */
export interface ConsentCall<A extends SignedAction> {
  /** The act, `contract:Transaction`; the transaction submitted. */
  readonly action: A;
  /** The user who signs. */
  readonly userId: string;
  /** The act's parameters, exactly as the chaincode will take them. */
  readonly params: ConsentParams<A>;
  /** The signer, and the request ID and expiry when the caller chooses them. */
  readonly options: ConsentOptions;
}

/**
 * Builds the user's request, has it signed, and submits it: the request's
 * canonical text and the signature are the transaction's only arguments,
 * so the block keeps the user's proof of consent. A refusal (a wrong or
 * retired key, an altered, replayed or expired request) is thrown with its
 * CONSENT_… code at stage `endorse`, and nothing was written. A read
 * conflict is retried with the same signed request: the failed attempt
 * wrote nothing, so its request ID is still unused.
 */
export async function submitSigned<T, A extends SignedAction, C extends ContractName>(
  invoker: ContractInvoker<C>,
  decoder: Decoder<T>,
  call: ConsentCall<A>,
  settings: ConsentSettings,
): Promise<T> {
  const request = consentRequest(call.action, call.userId, call.params, call.options, settings);
  const args = await signedArguments(request, call.options.signer);
  const transaction = call.action.slice(call.action.indexOf(':') + 1) as TransactionName<C>;
  return invoker.submit(transaction, decoder, { arguments: args });
}

const DEFAULT_PAGE_SIZE = 100;

/** A paged read's last two arguments: page size in digits, and bookmark. */
export function pageArguments(page: PageRequest): string[] {
  return [String(page.pageSize ?? DEFAULT_PAGE_SIZE), page.bookmark ?? ''];
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

/**
 * Every page of a paged read like {@link eachPage}, but the next page is
 * asked for as soon as a page arrives, so the caller handles one page while
 * the peer reads the next: at most two pages are held at once. For exports
 * of a snapshot-like read (a cap table), where that overlap halves the time.
 */
export async function* eachPageAhead<P extends PageOf<unknown>>(
  read: (page: PageRequest) => Promise<P>,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncGenerator<P> {
  const seen = new Set<string>();
  let next: Promise<P> | undefined = read({ pageSize, bookmark: '' });
  while (next !== undefined) {
    const page: P = await next;
    const more = page.bookmark !== '' && page.records.length > 0 && !seen.has(page.bookmark);
    seen.add(page.bookmark);
    next = more ? read({ pageSize, bookmark: page.bookmark }) : undefined;
    // A failed read ahead surfaces when it is awaited; until then it must not count as unhandled.
    next?.catch(() => undefined);
    yield page;
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
