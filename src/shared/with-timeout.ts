/** Raised by `withTimeout` when the work did not settle in time. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly what: string, readonly timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * Settles with `work`, or rejects with a TimeoutError after `timeoutMs`, whichever comes
 * first. The work itself goes on (a promise cannot be cancelled); its late result is ignored.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, timeoutMs)), timeoutMs);
  });
  // A late rejection of the work must not surface as an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}
