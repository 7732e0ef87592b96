/**
 * Keys a waiting caller presses while asked something (confirm a number, key one in): while
 * a question is open they go here, not to the queue's own keys (the emergency key excepted,
 * which the waiting call checks first).
 */
export type KeyMeaning = (sofar: string, digit: string) => string | null;

export class KeyCollector {
  private listener: ((digit: string) => void) | null = null;

  constructor(private readonly setTimer: (ms: number, fn: () => void) => () => void) {}

  get asking(): boolean {
    return this.listener !== null;
  }

  /** Gives a key to the open question; false when none is open. */
  feed(digit: string): boolean {
    if (!this.listener) return false;
    this.listener(digit);
    return true;
  }

  /**
   * Collects keys until `meaning` says what they mean (null: go on; '' gives up). Keys count
   * from now, while the question is still being asked (`asking`, the prompt's playback); the
   * caller then has `timeoutMs` to answer.
   */
  collect(meaning: KeyMeaning, timeoutMs: number, asking: Promise<unknown> = Promise.resolve()): Promise<string | null> {
    return new Promise((resolve) => {
      let sofar = '';
      let done = false;
      let cancel = (): void => undefined;
      const finish = (value: string | null): void => {
        if (done) return;
        done = true;
        this.listener = null;
        cancel();
        resolve(value);
      };
      void asking.finally(() => {
        if (!done) cancel = this.setTimer(timeoutMs, () => finish(null));
      });
      this.listener = (digit) => {
        const result = meaning(sofar, digit);
        if (result !== null) return finish(result || null);
        if (digit !== '#') sofar += digit;
      };
    });
  }
}
