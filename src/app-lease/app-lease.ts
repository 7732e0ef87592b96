/**
 * The lease on one Stasis app name, in Redis: which instance may connect to Asterisk for it.
 * Asterisk gives an app's events to one WebSocket only and a second connection deafens the
 * first (trace s17), so instances configured with the same name take turns through this
 * lease instead: the holder connects, the others stand by. Every step is one Lua script.
 */
import type { Redis } from 'ioredis';
import { appLeaseKeys, type AppLeaseKeys } from './keys.js';
import { runAppLeaseScript } from './redis-scripts.js';

/** What a claim found: this instance holds the lease, another does, or Redis did not answer. */
export type ClaimAnswer = { kind: 'mine' } | { kind: 'other'; holder: string } | { kind: 'unknown'; error: string };

export class AppLease {
  private readonly keys: AppLeaseKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    readonly app: string,
    /** This instance's token: host, process id and a random part. */
    public token: string,
    readonly leaseMs: number,
  ) {
    this.keys = appLeaseKeys(keyPrefix, app);
  }

  /** Takes the lease when free, renews it when held, else counts this instance as a standby. */
  async claim(): Promise<ClaimAnswer> {
    try {
      const holder = String(await runAppLeaseScript(this.redis, 'app-lease-claim', [this.keys.lease, this.keys.standbys], [this.token, this.leaseMs]));
      return holder === this.token ? { kind: 'mine' } : { kind: 'other', holder };
    } catch (err) {
      return { kind: 'unknown', error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Deletes the lease if this instance holds it; false when it did not (or Redis is away). */
  async release(): Promise<boolean> {
    try {
      return (await runAppLeaseScript(this.redis, 'app-lease-release', [this.keys.lease, this.keys.standbys], [this.token])) === 1;
    } catch {
      return false;
    }
  }

  /** How many other instances stood by within the last lease length; undefined when Redis is away. */
  async standbys(): Promise<number | undefined> {
    try {
      return Number(await runAppLeaseScript(this.redis, 'app-lease-standbys', [this.keys.standbys], [this.token]));
    } catch {
      return undefined;
    }
  }

  /** Who holds the lease now (a token), undefined when nobody or Redis is away. */
  async holder(): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.keys.lease)) ?? undefined;
    } catch {
      return undefined;
    }
  }
}
