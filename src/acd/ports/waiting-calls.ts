/**
 * The calls waiting in one queue, first in line first, as the supervisors' view reads them.
 * A port, so the route needs no Redis; `redisWaitingCalls` is the adapter over the call
 * queue's sets and call hashes (one read of the sets, one pipeline of the hashes).
 */
import type { Redis } from 'ioredis';
import type { CallKind, CallQueue } from '../call-queue.js';
import type { AcdKeys } from '../keys.js';

export interface WaitingCall {
  callId: string;
  /** The skill asked for. */
  skill: string;
  /** 0 (lowest) … 10 (highest). */
  priority: number;
  /** Epoch ms the wait counts from (kept across requeues). */
  enqueuedAt: number;
  /** The caller's number, whole: whoever shows it decides how much of it. */
  caller: string | null;
  kind: CallKind;
}

export interface WaitingCalls {
  waiting(queue: string): Promise<WaitingCall[]>;
}

export function redisWaitingCalls(options: { redis: Redis; keys: AcdKeys; calls: Pick<CallQueue, 'waitingIds'> }): WaitingCalls {
  const { redis, keys, calls } = options;
  return {
    async waiting(queue) {
      const ids = await calls.waitingIds(queue);
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hmget(keys.call(id), 'skill', 'priority', 'enqueuedAt', 'caller', 'kind', 'state');
      const replies = (await pipeline.exec()) ?? [];
      return ids.flatMap((callId, i) => {
        const [err, f] = (replies[i] ?? [new Error('no reply'), null]) as [Error | null, Array<string | null> | null];
        if (err) throw err;
        // Picked or gone between the two reads: no longer waiting.
        if (!f || f[5] !== 'waiting') return [];
        return [{ callId, skill: f[0] ?? '', priority: Number(f[1] ?? 0), enqueuedAt: Number(f[2] ?? 0), caller: f[3] || null, kind: f[4] === 'callback' ? 'callback' : 'inbound' }];
      });
    },
  };
}
