/**
 * Priority callers (e.g. registered elderly citizens): they skip the menu and reach an agent
 * at high priority. The list is the config's numbers plus a Redis set the API manages.
 */
import type { Redis } from 'ioredis';
import type { IvrKeys } from '../keys.js';
import { normaliseNumber } from './phone-number.js';

export interface PriorityCallerEntry {
  number: string;
  source: 'config' | 'api';
}

export class PriorityCallerStore {
  private readonly fromConfig: ReadonlySet<string>;

  constructor(
    private readonly redis: Redis,
    private readonly keys: IvrKeys,
    configNumbers: readonly string[],
  ) {
    this.fromConfig = new Set(configNumbers.map(normaliseNumber));
  }

  /** True when the number is on either list. Redis errors reject: the caller decides to fail open. */
  async isPriority(number: string): Promise<boolean> {
    const n = normaliseNumber(number);
    if (this.fromConfig.has(n)) return true;
    return (await this.redis.sismember(this.keys.priorityCallers(), n)) === 1;
  }

  async add(number: string): Promise<string> {
    const n = normaliseNumber(number);
    await this.redis.sadd(this.keys.priorityCallers(), n);
    return n;
  }

  /** False when the number was not on the API list (config numbers are changed in the config). */
  async remove(number: string): Promise<boolean> {
    return (await this.redis.srem(this.keys.priorityCallers(), normaliseNumber(number))) === 1;
  }

  isInConfig(number: string): boolean {
    return this.fromConfig.has(normaliseNumber(number));
  }

  async list(): Promise<PriorityCallerEntry[]> {
    const api = await this.redis.smembers(this.keys.priorityCallers());
    const entries: PriorityCallerEntry[] = [...this.fromConfig].map((number) => ({ number, source: 'config' }));
    for (const number of api.sort()) if (!this.fromConfig.has(number)) entries.push({ number, source: 'api' });
    return entries;
  }
}
