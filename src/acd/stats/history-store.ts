/**
 * The live figures' history in Redis, shared by every instance: one sorted set of samples
 * scored by their minute (keys.ts). Storing a sample and trimming what is older than the
 * retention is one script, which stores nothing when the minute has its sample already, so
 * instances sampling the same minute leave one sample, the first.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { HistorySample } from './history-sample.js';
import type { StatsKeys } from './keys.js';

const addLua = readFileSync(new URL('./scripts/history-add.lua', import.meta.url), 'utf8');

export interface HistoryStoreOptions {
  redis: Redis;
  keys: StatsKeys;
  /** Samples older than this go (default 24 h). */
  retentionMs: number;
}

export class HistoryStore {
  constructor(private readonly options: HistoryStoreOptions) {}

  get retentionMs(): number {
    return this.options.retentionMs;
  }

  /** Stores the sample in its slot; false when the slot had one (another instance's, or an earlier one of this). */
  async add(sample: HistorySample): Promise<boolean> {
    const { redis, keys, retentionMs } = this.options;
    const stored = await redis.eval(addLua, 1, keys.history(), sample.at, JSON.stringify(sample), sample.at - retentionMs, retentionMs + 3_600_000);
    return Number(stored) === 1;
  }

  /** The samples of the slots from `from` to `to` (epoch ms, both included), oldest first. */
  async read(from: number, to: number): Promise<HistorySample[]> {
    const members = await this.options.redis.zrangebyscore(this.options.keys.history(), from, to);
    // A member this version cannot read (an older layout) is left out, not an error.
    return members.flatMap((member) => {
      try {
        return [JSON.parse(member) as HistorySample];
      } catch {
        return [];
      }
    });
  }
}
