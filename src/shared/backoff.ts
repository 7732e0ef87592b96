/**
 * How long to wait before retry number `attempt` (1 for the first retry): doubling from
 * `firstMs`, never more than `maxMs`. One rule for every part that retries (ARI reconnects,
 * Redis reconnects, background starts, ticket-bridge deliveries).
 */
export function backoffMs(attempt: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(0, attempt - 1), 30));
}

/**
 * The same with jitter in the upper half (between half and all of the backoff), so many
 * clients retrying after one outage do not all come back in the same instant.
 */
export function jitteredBackoffMs(attempt: number, firstMs: number, maxMs: number, random = Math.random): number {
  const ceiling = backoffMs(attempt, firstMs, maxMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
