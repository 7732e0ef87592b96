/**
 * Live call records in Redis, so a restarted service (or another instance) can take over
 * a call that is still up in Asterisk with its id, phases and path intact.
 *
 * Writes are best effort and never block a call: Redis being down must not stop a caller
 * from being served (the emergency path depends on nothing but Asterisk).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CallRecord } from './call-record.js';

export class LiveCallStore {
  private readonly key: string;

  constructor(private readonly redis: Redis, keyspace: (...parts: string[]) => string, private readonly log: Logger) {
    this.key = keyspace('calls', 'live');
  }

  save(record: CallRecord): void {
    const write = record.phases.ended
      ? this.redis.hdel(this.key, record.channelId)
      : this.redis.hset(this.key, record.channelId, JSON.stringify(record));
    write.catch((err: unknown) => this.log.warn({ err, callId: record.callId }, 'could not store live call record'));
  }

  /** The stored record, or undefined when there is none or Redis does not answer in time. */
  async get(channelId: string, timeoutMs = 1000): Promise<CallRecord | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const json = await Promise.race([
        this.redis.hget(this.key, channelId),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return json ? (JSON.parse(json) as CallRecord) : undefined;
    } catch (err) {
      this.log.warn({ err, channelId }, 'could not read live call record');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async channelIds(): Promise<string[]> {
    return this.redis.hkeys(this.key);
  }

  async remove(channelId: string): Promise<void> {
    await this.redis.hdel(this.key, channelId);
  }
}
