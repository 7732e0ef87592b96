/**
 * Live call records in Redis, so a restarted service (or another instance) can take over
 * a call that is still up in Asterisk with its id, phases and path intact.
 *
 * A record holds the caller's whole number, so it lives no longer than its use: while the
 * call is up it expires `liveTtlSeconds` after its last change (a call whose end nobody saw
 * does not stay forever), once the call has ended it stays `endedTtlSeconds` for a late
 * reconcile; a call whose channel went while no service watched is finished (as dropped)
 * at the next reconcile of its app and then kept as long as any ended call.
 *
 * Writes are best effort and never block a call: Redis being down must not stop a caller
 * from being served (the emergency path depends on nothing but Asterisk).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { withTimeout } from '../shared/with-timeout.js';
import type { CallRecord } from './call-record.js';
import { callKeys, type CallKeys } from './keys.js';
import { runCallScript } from './redis-scripts.js';

export interface LiveCallStoreOptions {
  /** How long an ended call's record stays (config `calls.endedRecordTtlSeconds`). */
  endedTtlSeconds: number;
  /** How long a live call's record stays after its last change. */
  liveTtlSeconds?: number;
}

const DEFAULT_LIVE_TTL_SECONDS = 12 * 3600;

export class LiveCallStore {
  private readonly keys: CallKeys;
  private readonly liveTtl: number;
  /** One warning per Redis outage, not one per record change. */
  private failing = false;
  /**
   * Records of calls that ended while Redis did not take the write: stored again with the
   * next write it takes. Left as they were, their live entries would make the next
   * reconcile finish these calls a second time, as `dropped`.
   */
  private readonly endsNotStored = new Map<string, CallRecord>();
  /** Records changed in this loop turn, by channel: written together at its end. */
  private readonly pending = new Map<string, CallRecord>();
  private flushTimer: NodeJS.Immediate | undefined;

  constructor(
    private readonly redis: Redis,
    keyspace: (...parts: string[]) => string,
    private readonly log: Logger,
    private readonly options: LiveCallStoreOptions,
  ) {
    this.keys = callKeys(keyspace);
    this.liveTtl = options.liveTtlSeconds ?? DEFAULT_LIVE_TTL_SECONDS;
  }

  /**
   * Stores the record's latest state. Changes of one loop turn go out together: a call's
   * record changes several times per event (phases, path, menu position), and many calls'
   * events arrive in one socket read, so each record is written once per turn with its last
   * state, all of them in one transaction.
   */
  save(record: CallRecord): void {
    this.pending.set(record.channelId, record);
    this.endsNotStored.delete(record.channelId);
    this.flushTimer ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushTimer = undefined;
    const records = [...this.pending.values()];
    this.pending.clear();
    // One script for the whole turn: one command and one reply, where a transaction of
    // SET, SET and ZADD per record cost five of each for a single record.
    const keys = [this.keys.index()];
    const args: Array<string | number> = [Date.now()];
    for (const record of records) {
      const ended = Boolean(record.phases.ended);
      const ttl = ended ? this.options.endedTtlSeconds : this.liveTtl;
      keys.push(this.keys.record(record.channelId), this.keys.byCallId(record.callId));
      args.push(record.channelId, JSON.stringify(record), ended ? -ttl : ttl);
    }
    runCallScript(this.redis, 'live-save', keys, args).then(
      () => {
        if (this.failing) this.log.info('live call records are stored again');
        this.failing = false;
        const again = [...this.endsNotStored.values()];
        this.endsNotStored.clear();
        for (const unstored of again) this.save(unstored);
      },
      (err: unknown) => {
        for (const record of records) if (record.phases.ended && !this.pending.has(record.channelId)) this.endsNotStored.set(record.channelId, record);
        if (!this.failing) this.log.warn({ err, callIds: records.slice(0, 5).map((r) => r.callId) }, 'could not store live call records (Redis); calls go on, restart take-over is degraded');
        this.failing = true;
      },
    );
  }

  /** The stored record, or undefined when there is none or Redis does not answer in time. */
  async get(channelId: string, timeoutMs = 1000): Promise<CallRecord | undefined> {
    const unwritten = this.pending.get(channelId);
    if (unwritten) return unwritten;
    try {
      const json = await withTimeout(this.redis.get(this.keys.record(channelId)), timeoutMs, 'live call record');
      return json ? (JSON.parse(json) as CallRecord) : undefined;
    } catch (err) {
      this.log.warn({ err, channelId }, 'could not read live call record');
      return undefined;
    }
  }

  /**
   * The stored records of several channels in one round trip (a restart adopting every call
   * at once must not wait a timeout per call when Redis is slow or away): those found, by
   * channel id; none when Redis does not answer in time.
   */
  async getMany(channelIds: readonly string[], timeoutMs = 1000): Promise<Map<string, CallRecord>> {
    const found = new Map<string, CallRecord>();
    if (channelIds.length === 0) return found;
    try {
      const values = await withTimeout(this.redis.mget(channelIds.map((id) => this.keys.record(id))), timeoutMs, 'live call records');
      values.forEach((json, i) => {
        const unwritten = this.pending.get(channelIds[i]!);
        if (unwritten || json) found.set(channelIds[i]!, unwritten ?? (JSON.parse(json!) as CallRecord));
      });
    } catch (err) {
      this.log.warn({ err, channels: channelIds.length }, 'could not read live call records');
    }
    return found;
  }

  /** The stored record of a call by its call id (the agent's screen pop), or undefined as `get`. */
  async byCallId(callId: string, timeoutMs = 1000): Promise<CallRecord | undefined> {
    for (const unwritten of this.pending.values()) if (unwritten.callId === callId) return unwritten;
    let channelId: string | null;
    try {
      channelId = await withTimeout(this.redis.get(this.keys.byCallId(callId)), timeoutMs, 'live call id');
    } catch (err) {
      this.log.warn({ err, callId }, 'could not read live call record');
      return undefined;
    }
    const record = channelId ? await this.get(channelId, timeoutMs) : undefined;
    return record?.callId === callId ? record : undefined;
  }

  /** Channel ids of the calls stored as live. */
  async channelIds(): Promise<string[]> {
    return this.redis.zrange(this.keys.index(), 0, -1);
  }

  async remove(channelId: string): Promise<void> {
    this.pending.delete(channelId);
    await this.redis.multi().del(this.keys.record(channelId)).zrem(this.keys.index(), channelId).exec();
  }

  /**
   * After a reconcile: the stored live calls of `app` whose channels Asterisk no longer has
   * (`isLive` false): they ended while nobody watched, and the caller (unseen-ends.ts)
   * finishes them. Records of other apps are left to their own instance; index entries with
   * no record, an ended record, or a record from before records named their app are
   * removed (the earlier behaviour for those). Best effort: an empty list when Redis fails.
   */
  async goneUnseen(app: string, isLive: (channelId: string) => boolean): Promise<Array<{ record: CallRecord; lastSeenAt: string }>> {
    try {
      const flat = await withTimeout(this.redis.zrange(this.keys.index(), 0, -1, 'WITHSCORES'), 2000, 'live call index');
      const gone: Array<{ record: CallRecord; lastSeenAt: string }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const channelId = flat[i]!;
        // Ended here while Redis was away: not gone unseen.
        if (isLive(channelId) || this.endsNotStored.has(channelId)) continue;
        const record = await this.get(channelId, 2000);
        if (isLive(channelId)) continue;
        if (record?.app !== undefined && record.app !== app) continue;
        if (!record || record.phases.ended) {
          await this.redis.zrem(this.keys.index(), channelId);
          continue;
        }
        if (record.app === undefined) {
          await this.remove(channelId);
          continue;
        }
        gone.push({ record, lastSeenAt: new Date(Number(flat[i + 1])).toISOString() });
      }
      return gone;
    } catch (err) {
      this.log.warn({ err }, 'could not read the live call records after reconcile');
      return [];
    }
  }
}
