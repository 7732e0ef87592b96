/**
 * A store call made for an HTTP request, bounded in time: whatever the Redis client's own
 * retry settings, the request is answered 503 `store-unavailable` once `timeoutMs` has
 * passed, never left hanging. (A write that lands after that is harmless: every route
 * behind this is idempotent — a set, a flag with a TTL, an event id stored once.)
 */
import { TimeoutError, withTimeout } from '../shared/with-timeout.js';
import { HTTP_ERRORS, HttpProblem } from './errors.js';

export const STORE_CALL_TIMEOUT_MS = 2000;

export async function storeCall<T>(task: () => Promise<T>, timeoutMs = STORE_CALL_TIMEOUT_MS): Promise<T> {
  try {
    return await withTimeout(task(), timeoutMs, 'the store');
  } catch (err) {
    if (err instanceof TimeoutError) throw new HttpProblem(HTTP_ERRORS.storeUnavailable, err.message);
    throw err;
  }
}
