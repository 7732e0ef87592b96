/**
 * The ACD's writes that Redis did not take because it was away (a connection lost, a command
 * unanswered): an agent's end of call, a caller leaving their queue, a talk record to remove.
 * The call goes on without them (nothing waits on Redis), and they are kept here, in order, to
 * be written when Redis answers again (redis-return.ts): a hang-up during the outage still
 * puts the agent through wrap-up, a caller who left is still taken out of the queue.
 *
 * Each write decides again from what it reads when it runs (the agent store's compare-and-set,
 * a dequeue that finds nothing): written twice or after someone else, it is refused or does
 * nothing, never harm. A refusal (an AcdError: the agent moved on, unknown after an empty
 * return) is the answer, not an outage: logged and dropped. Bounded: past `limit` the oldest
 * is dropped with a line, so an outage of hours does not grow the process without end.
 */
import type { Logger } from 'pino';
import { AcdError } from '../errors.js';

/** Writes kept at most; a centre makes far fewer changes during any outage worth waiting out. */
const DEFAULT_LIMIT = 10_000;

/** What a write does, as its log lines name it. */
export type UnstoredWhat = 'agent state' | 'queue exit' | 'talk record removal';

export interface UnstoredChange {
  readonly what: UnstoredWhat;
  readonly callId: string;
  readonly write: () => Promise<unknown>;
}

export class UnstoredChanges {
  private pending: UnstoredChange[] = [];

  constructor(private readonly log: Logger, private readonly limit = DEFAULT_LIMIT) {}

  /** Writes now; kept for Redis's return when Redis does not take it. Never rejects. */
  async run(what: UnstoredWhat, callId: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (err) {
      if (err instanceof AcdError) return void this.log.warn({ err, callId }, `${what} not changed`);
      this.log.warn({ err: { message: (err as Error).message }, callId, unstored: this.pending.length + 1 }, `${what} not stored (Redis away); written when Redis is back`);
      this.keep({ what, callId, write });
    }
  }

  /** What waits for Redis, oldest first (operators' and tests' read). */
  list(): ReadonlyArray<Pick<UnstoredChange, 'what' | 'callId'>> {
    return this.pending.map(({ what, callId }) => ({ what, callId }));
  }

  get size(): number {
    return this.pending.length;
  }

  /**
   * Writes what waited, oldest first, one at a time (an agent's changes in their order). A
   * write Redis does not take again is kept for the next return, with those after it. One
   * `outdated` says is dropped unwritten (what it would undo was written anew since).
   */
  async writeAll(outdated: (change: Pick<UnstoredChange, 'what' | 'callId'>) => boolean = () => false): Promise<{ written: number; refused: number; outdated: number; kept: number }> {
    const due = this.pending;
    this.pending = [];
    let written = 0;
    let refused = 0;
    let dropped = 0;
    for (const [i, change] of due.entries()) {
      if (outdated(change)) {
        dropped++;
        continue;
      }
      try {
        await change.write();
        written++;
      } catch (err) {
        if (err instanceof AcdError) {
          refused++;
          this.log.info({ err: { code: err.code, message: err.message }, callId: change.callId }, `${change.what} not changed once Redis was back`);
          continue;
        }
        // Away again: this one and the rest wait, ahead of any kept meanwhile.
        this.pending = [...due.slice(i), ...this.pending];
        break;
      }
    }
    return { written, refused, outdated: dropped, kept: this.pending.length };
  }

  private keep(change: UnstoredChange): void {
    this.pending.push(change);
    if (this.pending.length <= this.limit) return;
    const dropped = this.pending.shift()!;
    this.log.error({ callId: dropped.callId, limit: this.limit }, `${dropped.what} dropped unwritten: too many changes waiting for Redis`);
  }
}
