/**
 * Records what happens to the ACD's calls as counters in Redis, shared by every service
 * instance: per queue per local day of the centre (keys.ts), each event one MULTI of HINCRBYs
 * and the key's TTL.
 *
 * A statistic is never worth a call: every method resolves, also when Redis fails or is slow
 * (bounded by `timeoutMs`). A failure is counted (`onFailure`, a metric) and logged at the
 * first of a streak, then at most once per `logEveryMs`; the figure is lost, not the call.
 *
 * What the engine passes:
 *   queued      when a call enters a queue (also when an overflow moves it into another);
 *   answered    when an agent answers, with the call's wait from its first enqueue;
 *   abandoned   when the caller hangs up while waiting or ringing;
 *   handled     when the agent's handling of a call ends, with its handle time. AHT is the
 *               mean of what is passed here: the engine passes the TALK TIME, from answer to
 *               hang-up (src/acd/engine/waiting-call.ts endTalk); the wrap-up is not in it.
 *               Passing talk + the wrap-up actually taken (when the agent leaves wrap-up)
 *               would make AHT the centre reports' talk + wrap-up, with no change here;
 *   overflowed  when a call leaves by the queue's overflow (its kind comes from the config).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { localTime } from '../../calendar/local-time.js';
import { withTimeout } from '../../shared/with-timeout.js';
import type { AcdConfig } from '../config-schema.js';
import type { DayCounters } from './day-counters.js';
import { DAY_COUNTERS_TTL_SECONDS, type StatsKeys } from './keys.js';

/** GB/T 33358-2016's threshold, for a queue the config does not know. */
const DEFAULT_SERVICE_LEVEL_SECONDS = 15;

export interface StatsRecorderOptions {
  redis: Redis;
  keys: StatsKeys;
  config: Pick<AcdConfig, 'queues'>;
  /** The centre's time zone: a day's counters run from its local midnight. */
  timeZone: string;
  log: Logger;
  /** Called once per failed recording (a metric counts them). */
  onFailure?: () => void;
  /** Called after each recording that was stored (the live view refreshes). */
  onRecorded?: (queue: string) => void;
  timeoutMs?: number;
  logEveryMs?: number;
}

type Increments = Partial<Record<keyof DayCounters, number>>;

export class StatsRecorder {
  private streak = 0;
  private loggedAt = 0;

  constructor(private readonly options: StatsRecorderOptions) {}

  queued(queue: string, at: number): Promise<void> {
    return this.record(queue, at, { offered: 1 });
  }

  answered(queue: string, waitedMs: number, at: number): Promise<void> {
    const waited = nonNegative(waitedMs);
    const within = waited <= this.serviceLevelSeconds(queue) * 1000 ? 1 : 0;
    return this.record(queue, at, { answered: 1, answeredWithin: within, answeredWaitMs: waited });
  }

  abandoned(queue: string, waitedMs: number, at: number): Promise<void> {
    return this.record(queue, at, { abandoned: 1, abandonedWaitMs: nonNegative(waitedMs) });
  }

  handled(queue: string, handleMs: number, at: number): Promise<void> {
    return this.record(queue, at, { handled: 1, handleMs: nonNegative(handleMs) });
  }

  overflowed(queue: string, at: number): Promise<void> {
    const onward = this.options.config.queues[queue]?.overflow.kind === 'queue' ? 1 : 0;
    return this.record(queue, at, { overflowed: 1, overflowedOnward: onward });
  }

  private serviceLevelSeconds(queue: string): number {
    return this.options.config.queues[queue]?.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS;
  }

  private async record(queue: string, at: number, increments: Increments): Promise<void> {
    const { redis, keys, timeZone, timeoutMs = 1000 } = this.options;
    try {
      const key = keys.day(localTime(new Date(at), timeZone).date, queue);
      const multi = redis.multi();
      for (const [field, by] of Object.entries(increments)) if (by) multi.hincrby(key, field, by);
      multi.expire(key, DAY_COUNTERS_TTL_SECONDS);
      const results = await withTimeout(multi.exec(), timeoutMs, 'ACD statistics record');
      const failed = results?.find(([err]) => err)?.[0];
      if (!results) throw new Error('the transaction was discarded');
      if (failed) throw failed;
      this.streak = 0;
    } catch (err) {
      this.failed(err, queue);
      return;
    }
    this.options.onRecorded?.(queue);
  }

  private failed(err: unknown, queue: string): void {
    this.options.onFailure?.();
    this.streak++;
    const now = Date.now();
    if (this.streak > 1 && now - this.loggedAt < (this.options.logEveryMs ?? 30_000)) return;
    this.loggedAt = now;
    this.options.log.warn({ err, queue, failingInARow: this.streak }, 'ACD statistics not recorded in Redis; the figure is lost, the call goes on');
  }
}

function nonNegative(ms: number): number {
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : 0;
}
