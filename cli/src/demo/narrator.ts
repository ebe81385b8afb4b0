import { CliError } from '../errors';

/** Prints the demo as numbered steps in plain words. */
export class Narrator {
  #step = 0;

  step(text: string): void {
    this.#step += 1;
    console.log(`\n${String(this.#step)}. ${text}`);
  }

  say(text: string): void {
    console.log(`   ${text}`);
  }

  /**
   * Stops the demo, exit 1, when the network did not do what the step says:
   * CI runs the demo, so a wrong outcome must fail it, not just read oddly.
   */
  insist(holds: boolean, expected: string): void {
    if (!holds) {
      throw new CliError(`demo step ${String(this.#step)}: expected ${expected}`);
    }
  }
}

/** Fen to yuan, as a person reads a price. */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
