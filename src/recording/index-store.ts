/**
 * The archive's index in Redis, so listing never scans the storage: recordings by date,
 * by call, by ticket and by the caller number's digest. The manifests in storage are the
 * truth; `reindex` (reindex.ts) rebuilds all of this from them.
 */
import type { Redis } from 'ioredis';
import type { RecordingKeys } from './keys.js';
import type { Manifest } from './manifest.js';

/** How long tickets linked to a call wait for its recording (a recording arrives once the call ended). */
const PENDING_TICKETS_TTL_SECONDS = 7 * 24 * 3600;

export interface DateWindow {
  from?: Date;
  to?: Date;
  limit: number;
}

export class RecordingIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RecordingKeys,
  ) {}

  async record(manifest: Manifest): Promise<void> {
    const score = Date.parse(manifest.startedAt);
    const tx = this.redis.multi().hset(this.keys.byCall(), manifest.callId, manifest.recordingId);
    // A deleted recording leaves the date index (listings and the sweeper skip it); its call and tickets still find the manifest.
    if (manifest.disposition?.action === 'deleted') tx.zrem(this.keys.byDate(), manifest.recordingId);
    else tx.zadd(this.keys.byDate(), score, manifest.recordingId);
    if (manifest.callerDigest) tx.zadd(this.keys.byNumber(manifest.callerDigest), score, manifest.recordingId);
    for (const ticket of manifest.tickets) tx.zadd(this.keys.byTicket(ticket), score, manifest.recordingId);
    await tx.exec();
  }

  async byCall(callId: string): Promise<string | null> {
    return this.redis.hget(this.keys.byCall(), callId);
  }

  byDate(window: DateWindow): Promise<string[]> {
    return this.range(this.keys.byDate(), window);
  }

  byTicket(ticketNumber: string, window: DateWindow): Promise<string[]> {
    return this.range(this.keys.byTicket(ticketNumber), window);
  }

  byNumber(digest: string, window: DateWindow): Promise<string[]> {
    return this.range(this.keys.byNumber(digest), window);
  }

  /** Recordings of calls started before `before`, oldest first (the sweeper's candidates). */
  startedBefore(before: Date, offset: number, count: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.byDate(), '-inf', `(${before.getTime()}`, 'LIMIT', offset, count);
  }

  /** Up to `count` distinct recording ids at random (the integrity audit's sample). */
  async sample(count: number): Promise<string[]> {
    if (count <= 0) return [];
    return ((await this.redis.zrandmember(this.keys.byDate(), count)) as string[] | null) ?? [];
  }

  async addPendingTicket(callId: string, ticketNumber: string): Promise<void> {
    await this.redis.multi().sadd(this.keys.pendingTickets(callId), ticketNumber).expire(this.keys.pendingTickets(callId), PENDING_TICKETS_TTL_SECONDS).exec();
  }

  pendingTickets(callId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.pendingTickets(callId));
  }

  async clearPendingTickets(callId: string, applied: string[]): Promise<void> {
    if (applied.length) await this.redis.srem(this.keys.pendingTickets(callId), ...applied);
  }

  /** Drops the whole index (before a rebuild from the manifests). */
  async clear(): Promise<void> {
    const patterns = [this.keys.byTicket('*'), this.keys.byNumber('*')];
    const doomed = [this.keys.byDate(), this.keys.byCall()];
    for (const pattern of patterns) {
      // The client's keyPrefix is not applied to SCAN's MATCH: the keys here already carry the full prefix.
      let cursor = '0';
      do {
        const [next, found] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        doomed.push(...found);
      } while (cursor !== '0');
    }
    for (let i = 0; i < doomed.length; i += 500) await this.redis.del(...doomed.slice(i, i + 500));
  }

  private range(key: string, window: DateWindow): Promise<string[]> {
    const min = window.from ? String(window.from.getTime()) : '-inf';
    const max = window.to ? String(window.to.getTime()) : '+inf';
    // Newest first: what an operator looks for is usually recent.
    return this.redis.zrevrangebyscore(key, max, min, 'LIMIT', 0, window.limit);
  }
}
