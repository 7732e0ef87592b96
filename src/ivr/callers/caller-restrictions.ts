/**
 * Repeat-occupancy limit (Hangzhou art. 28): a caller who calls more than N times in M
 * minutes, or whom a supervisor flags with a reason, is restricted for a short while. A
 * restriction is a Redis key with a TTL, so it ends by itself; each one applied or lifted
 * is logged (pino and a capped Redis list) with its reason. It never touches the emergency
 * key: the menu engine checks that before the restriction's notice is even played.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { maskNumber, maskPhoneNumbers } from '../../log/mask.js';
import type { IvrConfig } from '../config-schema.js';
import type { IvrKeys } from '../keys.js';
import { normaliseNumber } from './phone-number.js';

export interface Restriction {
  number: string;
  source: 'rule' | 'supervisor';
  reason: string;
  /** Who flagged it (a supervisor id), or `rule`. */
  by: string;
  since: string;
  until: string;
}

export interface RestrictionLogEntry {
  at: string;
  action: 'applied' | 'lifted';
  number: string;
  source: Restriction['source'];
  reason: string;
  by: string;
  until?: string;
}

const LOG_LENGTH = 1000;

export class CallerRestrictionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: IvrKeys,
    private readonly config: IvrConfig['restriction'],
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get(number: string): Promise<Restriction | null> {
    const raw = await this.redis.get(this.keys.restriction(normaliseNumber(number)));
    if (!raw) return null;
    try {
      return JSON.parse(raw) as Restriction;
    } catch {
      return null;
    }
  }

  /**
   * Counts this call and tells whether the caller is restricted: by an existing flag, or
   * because this call goes over the rule (which then applies a restriction).
   */
  async checkCall(number: string, callId: string): Promise<Restriction | null> {
    const n = normaliseNumber(number);
    const existing = await this.get(n);
    if (existing) return existing;
    const rule = this.config.rule;
    if (!rule.enabled || n.length === 0) return null;
    const now = this.clock().getTime();
    const windowMs = rule.windowMinutes * 60_000;
    const key = this.keys.recentCalls(n);
    const results = await this.redis
      .multi()
      .zadd(key, now, `${now}:${callId}`)
      .zremrangebyscore(key, 0, now - windowMs)
      .zcard(key)
      .pexpire(key, windowMs)
      .exec();
    const count = Number(results?.[2]?.[1] ?? 0);
    if (count <= rule.maxCalls) return null;
    return this.apply(n, {
      source: 'rule',
      reason: `${count} calls in ${rule.windowMinutes} minutes (more than ${rule.maxCalls})`,
      by: 'rule',
      minutes: rule.restrictMinutes,
    });
  }

  /** A supervisor's flag: restricted for `minutes` (capped by `maxFlagMinutes`) with a reason. */
  async flag(number: string, input: { reason: string; by: string; minutes: number }): Promise<Restriction> {
    const minutes = Math.min(input.minutes, this.config.maxFlagMinutes);
    return this.apply(normaliseNumber(number), { source: 'supervisor', reason: input.reason, by: input.by, minutes });
  }

  /** Lifts a restriction early; false when there was none. */
  async lift(number: string, by: string, reason: string): Promise<boolean> {
    const n = normaliseNumber(number);
    const existing = await this.get(n);
    const removed = await this.redis.del(this.keys.restriction(n));
    if (removed === 0) return false;
    await this.writeLog({ at: this.clock().toISOString(), action: 'lifted', number: n, source: existing?.source ?? 'supervisor', reason, by });
    return true;
  }

  async listActive(): Promise<Restriction[]> {
    const found: Restriction[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.keys.restrictionPattern(), 'COUNT', 200);
      cursor = next;
      if (keys.length > 0) {
        for (const raw of await this.redis.mget(keys)) {
          if (!raw) continue;
          try {
            found.push(JSON.parse(raw) as Restriction);
          } catch {
            // A value not written by this store: skip it rather than fail the list.
          }
        }
      }
    } while (cursor !== '0');
    return found.sort((a, b) => a.since.localeCompare(b.since));
  }

  async recentLog(limit = 100): Promise<RestrictionLogEntry[]> {
    const raw = await this.redis.lrange(this.keys.restrictionLog(), 0, Math.max(0, limit - 1));
    return raw.flatMap((r) => {
      try {
        return [JSON.parse(r) as RestrictionLogEntry];
      } catch {
        return [];
      }
    });
  }

  private async apply(
    number: string,
    input: { source: Restriction['source']; reason: string; by: string; minutes: number },
  ): Promise<Restriction> {
    const since = this.clock();
    const until = new Date(since.getTime() + input.minutes * 60_000);
    const restriction: Restriction = {
      number,
      source: input.source,
      reason: input.reason,
      by: input.by,
      since: since.toISOString(),
      until: until.toISOString(),
    };
    await this.redis.set(this.keys.restriction(number), JSON.stringify(restriction), 'PX', input.minutes * 60_000);
    await this.writeLog({ at: restriction.since, action: 'applied', number, source: input.source, reason: input.reason, by: input.by, until: restriction.until });
    return restriction;
  }

  private async writeLog(entry: RestrictionLogEntry): Promise<void> {
    // The reason is a supervisor's free text: stored whole (access-controlled, like the
    // number), logged only with any phone number in it masked.
    const reason = maskPhoneNumbers(entry.reason);
    this.log.warn(
      { restriction: { ...entry, number: undefined, reason }, number: maskNumber(entry.number), id: randomUUID() },
      `caller restriction ${entry.action}: ${reason}`,
    );
    await this.redis.multi().lpush(this.keys.restrictionLog(), JSON.stringify(entry)).ltrim(this.keys.restrictionLog(), 0, LOG_LENGTH - 1).exec();
  }
}
