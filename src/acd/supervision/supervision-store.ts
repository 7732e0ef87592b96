/**
 * Supervisions in Redis, so a listing on any instance shows those every instance runs.
 * Each is a hash under `<prefix>acd:supervision:<id>` with a short TTL that the running
 * instance renews while the supervision lasts: an instance that dies leaves no record behind
 * for longer than the TTL. A set indexes the ids; ids whose record expired are dropped from
 * it when a listing finds them gone.
 */
import type { Redis } from 'ioredis';
import { keyspace } from '../../redis/connection.js';
import type { SupervisionMode } from './plan.js';

export type SupervisionPhase = 'ringing' | 'connecting' | 'active';

export interface SupervisionRecord {
  id: string;
  mode: SupervisionMode;
  agentId: string;
  callId: string;
  /** The supervisor's endpoint, e.g. `PJSIP/1101`. */
  supervisorEndpoint: string;
  /** Who started it (the API's actor name) and with which role. */
  actor: string;
  actorRole: string;
  phase: SupervisionPhase;
  /** The Stasis app of the instance running it. */
  app: string;
  /** Epoch ms. */
  startedAt: number;
}

export class SupervisionStore {
  private readonly key: (...parts: string[]) => string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = keyspace(`${keyPrefix}acd:`);
  }

  async save(record: SupervisionRecord): Promise<void> {
    const key = this.key('supervision', record.id);
    await this.redis
      .multi()
      .hset(key, { ...record, startedAt: String(record.startedAt) })
      .expire(key, this.ttlSeconds)
      .sadd(this.key('supervisions'), record.id)
      .exec();
  }

  /** Changes the phase or mode of a record that still exists; false when it is gone. */
  async update(id: string, fields: Partial<Pick<SupervisionRecord, 'phase' | 'mode'>>): Promise<boolean> {
    const key = this.key('supervision', id);
    const replies = await this.redis.multi().hset(key, fields).expire(key, this.ttlSeconds).exec();
    // New fields mean the record had been removed meanwhile (the supervision ended, or was
    // stopped from another instance): the update must not bring it back.
    if (Number(replies?.[0]?.[1]) === 0) return true;
    await this.redis.del(key);
    return false;
  }

  /** Renews the TTL of the records this instance runs. */
  async renew(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.expire(this.key('supervision', id), this.ttlSeconds);
    await pipeline.exec();
  }

  async get(id: string): Promise<SupervisionRecord | null> {
    return parseRecord(await this.redis.hgetall(this.key('supervision', id)));
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().del(this.key('supervision', id)).srem(this.key('supervisions'), id).exec();
  }

  /** Every supervision running on any instance, oldest first. */
  async list(): Promise<SupervisionRecord[]> {
    const ids = await this.redis.smembers(this.key('supervisions'));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key('supervision', id));
    const replies = (await pipeline.exec()) ?? [];
    const records: SupervisionRecord[] = [];
    const expired: string[] = [];
    replies.forEach(([err, raw], at) => {
      const record = err ? null : parseRecord(raw as Record<string, string>);
      if (record) records.push(record);
      else if (!err) expired.push(ids[at]!);
    });
    if (expired.length > 0) await this.redis.srem(this.key('supervisions'), ...expired);
    return records.sort((a, b) => a.startedAt - b.startedAt);
  }
}

function parseRecord(raw: Record<string, string>): SupervisionRecord | null {
  if (!raw.id) return null;
  return {
    id: raw.id,
    mode: raw.mode as SupervisionMode,
    agentId: raw.agentId!,
    callId: raw.callId!,
    supervisorEndpoint: raw.supervisorEndpoint!,
    actor: raw.actor!,
    actorRole: raw.actorRole!,
    phase: raw.phase as SupervisionPhase,
    app: raw.app!,
    startedAt: Number(raw.startedAt),
  };
}
