/**
 * Starts a part that needs Redis (or another dependency that may be away) without holding up
 * the service: it tries at once, then again with a capped backoff until it succeeds or the
 * service stops. Its state feeds /readyz.
 */
import type { Logger } from 'pino';
import { sleep } from '../shared/sleep.js';
import type { CheckResult } from './readiness.js';
import { backoffMs } from '../shared/backoff.js';

export interface BackgroundStart {
  readonly started: boolean;
  check(): CheckResult;
  /** Resolves once started (or when cancelled). */
  readonly done: Promise<void>;
  cancel(): void;
}

export function startInBackground(name: string, start: () => Promise<void>, log: Logger, maxDelayMs = 10_000): BackgroundStart {
  const abort = new AbortController();
  let started = false;
  let lastError = 'starting';
  const done = (async () => {
    for (let attempt = 1; !abort.signal.aborted; attempt++) {
      try {
        await start();
        started = true;
        if (attempt > 1) log.info({ part: name, attempts: attempt }, 'started after retrying');
        return;
      } catch (err) {
        lastError = (err as Error).message;
        // The first failure and then one line in ten: an outage must not flood the log.
        if (attempt === 1 || attempt % 10 === 0) log.warn({ part: name, attempt, err: lastError }, 'could not start yet; retrying in the background');
        await sleep(backoffMs(attempt, 250, maxDelayMs), abort.signal);
      }
    }
  })();
  return {
    get started() {
      return started;
    },
    check: () => (started ? { ok: true } : { ok: false, reason: `${name} not started: ${lastError}` }),
    done,
    cancel: () => abort.abort(),
  };
}
