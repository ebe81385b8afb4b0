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
}

/** Fen to yuan, as a person reads a price. */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
