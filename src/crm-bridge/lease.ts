/**
 * The per-sink delivery lease. Per-call order needs one reader per sink: two instances
 * reading the same consumer group would split a call's messages between them and race.
 * So one instance holds a sink's lease (renewed every third of its length) and delivers;
 * the others stand by and take over when a holder stops or its lease lapses after a crash.
 */
import type { Redis } from 'ioredis';
import { runScript } from './redis-scripts.js';

export class SinkLease {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly owner: string,
    readonly leaseMs: number,
  ) {}

  /** Takes the lease, or renews it when already held; false when another instance holds it. */
  async acquire(): Promise<boolean> {
    return (await runScript(this.redis, 'lease-acquire', [this.key], [this.owner, this.leaseMs])) === 1;
  }

  async release(): Promise<void> {
    await runScript(this.redis, 'lease-release', [this.key], [this.owner]);
  }
}
