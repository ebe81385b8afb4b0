// Progress of the slow steps (a submit waits for endorsement, ordering and
// commit; a key check runs Argon2id on every endorser) on stderr, so stdout
// stays the result a script reads.

/** A stream progress can be written to: process.stderr, or a fake in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const TICK_MS = 200;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function seconds(startedAt: number, now: number): string {
  return `${((now - startedAt) / 1000).toFixed(1)} s`;
}

/**
 * Runs `work` while showing `label`: on a terminal a spinner with the time
 * so far, replaced by ✓ or ✗ and the time taken; elsewhere one line when it
 * starts and one when it ends, for logs.
 */
export async function step<T>(
  label: string,
  work: () => Promise<T>,
  stream: ProgressStream = process.stderr,
  now: () => number = Date.now,
): Promise<T> {
  const startedAt = now();
  const tty = stream.isTTY === true;
  let frame = 0;
  const draw = (): void => {
    frame = (frame + 1) % FRAMES.length;
    stream.write(`\r\u001b[K${FRAMES[frame] ?? ''} ${label} ${seconds(startedAt, now())}`);
  };
  if (tty) {
    draw();
  } else {
    stream.write(`${label} …\n`);
  }
  const timer = tty ? setInterval(draw, TICK_MS) : undefined;
  const end = (mark: string): void => {
    clearInterval(timer);
    stream.write(`${tty ? '\r\u001b[K' : ''}${mark} ${label} (${seconds(startedAt, now())})\n`);
  };
  try {
    const result = await work();
    end('✓');
    return result;
  } catch (error) {
    end('✗');
    throw error;
  }
}

/** A line of progress for a long run, rewritten in place; see {@link liveLine}. */
export interface LiveLine {
  /** The current state: on a terminal, redrawn at most four times a second; nothing elsewhere. */
  readonly show: (text: string) => void;
  /** A state worth a line in a log (a page done): on a terminal, redrawn now; elsewhere, one line. */
  readonly milestone: (text: string) => void;
  /** Clears the line on a terminal, so the result starts on a clean line. */
  readonly done: () => void;
}

const REDRAW_MS = 250;

/**
 * Progress of a run whose length is unknown at the start (blocks read, pages
 * walked), on stderr. A terminal sees one line rewritten in place; a log sees
 * only the milestones, one line each, and a script reading stdout sees none.
 */
export function liveLine(stream: ProgressStream = process.stderr, now: () => number = Date.now): LiveLine {
  const tty = stream.isTTY === true;
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  const draw = (text: string): void => {
    last = now();
    shown = true;
    stream.write(`\r\u001b[K${text}`);
  };
  return {
    show: (text) => {
      if (tty && now() - last >= REDRAW_MS) {
        draw(text);
      }
    },
    milestone: (text) => {
      if (tty) {
        draw(text);
      } else {
        stream.write(`${text}\n`);
      }
    },
    done: () => {
      if (shown) {
        stream.write('\r\u001b[K');
        shown = false;
      }
    },
  };
}
