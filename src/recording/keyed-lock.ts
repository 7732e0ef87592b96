/**
 * One change at a time per recording: a manifest is read, changed and written whole, so two
 * changes (a ticket linked while a hold is placed) must not interleave and lose one. In
 * this process a promise chain per key; across instances a short Redis lock, taken after
 * the local turn (so one instance never queues against itself in Redis).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sleep } from '../shared/sleep.js';
import { runRecordingScript } from './redis-scripts.js';

/** Longer than any manifest change (a read, a write, a store call); a crashed holder frees it by then. */
const LOCK_MS = 30_000;
const WAIT_STEP_MS = 20;
const WAIT_LIMIT_MS = 10_000;

export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** `shared` is the Redis lock's key for `key`, or absent for a lock within this process only. */
  constructor(private readonly shared?: { redis: Redis; keyOf: (key: string) => string }) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const guarded = () => this.acrossInstances(key, task);
    const mine = before.then(guarded, guarded);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  private async acrossInstances<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (!this.shared) return task();
    const { redis, keyOf } = this.shared;
    const lock = keyOf(key);
    const token = randomUUID();
    for (let waited = 0; (await redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK'; waited += WAIT_STEP_MS) {
      if (waited >= WAIT_LIMIT_MS) throw new Error(`recording ${key} stayed locked by another instance for ${WAIT_LIMIT_MS} ms`);
      await sleep(WAIT_STEP_MS);
    }
    try {
      return await task();
    } finally {
      await runRecordingScript(redis, 'lock-release', [lock], [token]).catch(() => undefined);
    }
  }
}
