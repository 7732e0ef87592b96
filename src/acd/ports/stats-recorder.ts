/**
 * What the ACD tells the statistics as calls move: one call per fact, never awaited by the
 * call (a statistics outage must not hold a citizen).
 */
export interface AcdStatsRecorder {
  queued(queue: string, at: number): Promise<unknown>;
  answered(queue: string, waitedMs: number, at: number): Promise<unknown>;
  abandoned(queue: string, waitedMs: number, at: number): Promise<unknown>;
  handled(queue: string, handleMs: number, at: number): Promise<unknown>;
  overflowed(queue: string, at: number): Promise<unknown>;
}
