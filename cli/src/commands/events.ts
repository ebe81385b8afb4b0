// `crowdledger events follow`: the chaincode's event feed as JSON lines, for
// a script or a log shipper to read. The place in the feed is kept in a
// checkpoint file (the SDK's, replaced atomically), so a restart resumes
// after the last event printed.
import type { CrowdLedgerEvent, EventSubscription } from '@crowdledger/client';
import type { Command } from 'commander';
import { type ConnectionOptions, withClient, withConnectionOptions } from '../connection';
import { CliError } from '../errors';
import { parseBlock, parseMillis } from '../input/terms';
import { count } from '../output';
import { withExamples } from './shared/help';

interface FollowOptions extends ConnectionOptions {
  readonly checkpoint: string;
  readonly startBlock?: bigint;
  readonly once?: boolean;
  readonly idleMs?: number;
}

/** When a follow stops on its own; without either it runs until the signal. */
export interface FollowLimits {
  /** Stop before the first event at or past this block: the chain's height when the run began (--once). */
  readonly height?: bigint;
  /** Stop when no event came for this long (--once): the feed has caught up. */
  readonly idleMs?: number;
  /** Aborted by SIGINT or SIGTERM: stop after the event in hand. */
  readonly signal: AbortSignal;
}

const DEFAULT_IDLE_MS = 2000;

/** `crowdledger events follow`. */
export function registerEventsCommands(program: Command): void {
  const events = program
    .command('events')
    .description("follow the chaincode's event feed (every platform's registrations, listings, trades…)");
  withExamples(events, 'crowdledger events follow --checkpoint feed.checkpoint');
  const follow = withConnectionOptions(
    events
      .command('follow')
      .description(
        'print one JSON line per chaincode event on stdout, resuming after the last one printed (kept in ' +
          '--checkpoint), until Ctrl-C or SIGTERM, which end it cleanly (exit 0)',
      ),
  )
    .requiredOption('--checkpoint <file>', 'where to keep the place in the feed (created when missing)')
    .option(
      '--start-block <n>',
      'the first block to read when the checkpoint is new (default: only events committed from now on)',
      parseBlock,
    )
    .option('--once', 'read up to the height the chain has now, then exit (catch up, e.g. from cron)')
    .option(
      '--idle-ms <ms>',
      `with --once: how long a quiet feed means caught up (default ${String(DEFAULT_IDLE_MS)})`,
      parseMillis,
    )
    .action(followFeed);
  withExamples(
    follow,
    'crowdledger events follow --checkpoint feed.checkpoint --start-block 0',
    'crowdledger events follow --org platform1 --checkpoint p1.checkpoint | jq -c "select(.name == \\"TradeExecuted\\")"',
    'crowdledger events follow --checkpoint feed.checkpoint --once >> events.jsonl',
  );
}

async function followFeed(options: FollowOptions): Promise<void> {
  if (options.idleMs !== undefined && options.once !== true) {
    throw new CliError('--idle-ms goes with --once: a follow without it waits for events until stopped');
  }
  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    await withClient(options, async (c) => {
      const height = options.once === true ? await c.chainHeight() : undefined;
      const subscription = await c.events.subscribe({
        checkpoint: options.checkpoint,
        ...(options.startBlock === undefined ? {} : { startBlock: options.startBlock }),
      });
      console.error(
        height === undefined
          ? `following the event feed (checkpoint ${options.checkpoint}); Ctrl-C stops`
          : `reading the event feed up to block ${String(height - 1n)} (checkpoint ${options.checkpoint})`,
      );
      const limits = {
        signal: stop.signal,
        ...(height === undefined ? {} : { height, idleMs: options.idleMs ?? DEFAULT_IDLE_MS }),
      };
      const printed = await followEvents(subscription, limits, (event) => {
        console.log(eventLine(event));
      });
      console.error(
        printed === 0
          ? 'no new events; the checkpoint is where it was'
          : `${count(printed, 'event')} printed; the checkpoint is after the last one`,
      );
    });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/**
 * Hands each event to `print` until the feed ends, the signal aborts, or a
 * limit is reached. An event is checkpointed once the next one is asked for,
 * i.e. after it was printed; the one in hand when a limit stops the run (a
 * block past the height) is not, so the next run starts with it.
 */
export async function followEvents(
  subscription: EventSubscription,
  limits: FollowLimits,
  print: (event: CrowdLedgerEvent) => void,
): Promise<number> {
  const close = (): void => {
    subscription.close();
  };
  limits.signal.addEventListener('abort', close, { once: true });
  const events = subscription[Symbol.asyncIterator]();
  let printed = 0;
  try {
    for (let next = await nextWithin(events, limits, close); next.done !== true;) {
      if (limits.height !== undefined && next.value.blockNumber >= limits.height) {
        break;
      }
      print(next.value);
      printed += 1;
      next = await nextWithin(events, limits, close);
    }
  } finally {
    limits.signal.removeEventListener('abort', close);
    await events.return?.();
  }
  return printed;
}

/** The next event; with idleMs, the subscription is closed (and the stream ends) after that long without one. */
async function nextWithin(
  events: AsyncIterator<CrowdLedgerEvent>,
  limits: FollowLimits,
  close: () => void,
): Promise<IteratorResult<CrowdLedgerEvent>> {
  if (limits.signal.aborted) {
    close();
  }
  const timer = limits.idleMs === undefined ? undefined : setTimeout(close, limits.idleMs);
  try {
    return await events.next();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One event as a JSON line: blockNumber, transactionId, name and payload
 * (eventName and problem too for an event this CLI cannot read). Block
 * numbers are JSON numbers while they are exact, strings past that.
 */
export function eventLine(event: CrowdLedgerEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => {
    if (typeof value !== 'bigint') {
      return value;
    }
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  });
}
