/**
 * One instance's place on a Stasis app name shared with others (hot standby, N+1):
 *
 *   standby ──lease mine, or Redis away and the app free──► driving ──ApplicationReplaced──► standby
 *      ▲  │ lease held by another: no connection, counted as a standby              │ stop: lease released
 *      └──┘                                                                         ▼
 *                                                                                stopped
 *
 * Every tick (a third of the lease) it claims the lease: the holder renews it, a standby
 * learns who holds it, and takes it once the holder stopped renewing (killed, frozen) or
 * released it (a hand-over). What each tick does is slot-decision.ts; this class only runs
 * it. After a takeover by another connection it stands by under a new token, so the lease
 * it held lapses instead of being renewed by an instance that no longer hears the app.
 */
import type { Logger } from 'pino';
import type { AppLease } from './app-lease.js';
import { slotStep, stepWithoutRedis, type AppAnswer, type SlotRole } from './slot-decision.js';

export interface AppSlotDeps {
  lease: AppLease;
  /** Asks Asterisk whether a connection holds the app (for a standby while Redis is away). */
  appHolder(): Promise<AppAnswer>;
  /** Connects this instance's ARI for the app (the first time, or again after a takeover). */
  drive(): Promise<void>;
  /** A fresh token for after a takeover. */
  newToken(): string;
  log: Logger;
  /** Told each change of role, with the other holder when standing by. */
  onRole?(role: SlotRole, heldBy: string | undefined): void;
}

export class AppSlot {
  private current: SlotRole = 'standby';
  private otherHolder: string | undefined;
  private redisAway = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly everyMs: number;

  constructor(private readonly deps: AppSlotDeps) {
    this.everyMs = Math.max(100, Math.floor(deps.lease.leaseMs / 3));
  }

  get role(): SlotRole {
    return this.current;
  }

  /** The token of the instance holding the app while this one stands by (when Redis told it). */
  get heldBy(): string | undefined {
    return this.otherHolder;
  }

  get app(): string {
    return this.deps.lease.app;
  }

  start(): void {
    this.deps.log.info({ app: this.app, token: this.deps.lease.token, leaseMs: this.deps.lease.leaseMs }, 'competing for the ARI app lease');
    this.deps.onRole?.(this.current, undefined);
    void this.tick();
  }

  /** Another connection took the app (ApplicationReplaced): stand by, under a new token. */
  replaced(): void {
    if (this.stopped || this.current === 'standby') return;
    this.deps.lease.token = this.deps.newToken();
    this.setRole('standby', undefined);
    this.deps.log.warn({ app: this.app, token: this.deps.lease.token }, 'standby: another connection took the ARI app; waiting for the app lease');
  }

  /** True when this instance drives the app and another stands by to take it over. */
  async standbyWaiting(): Promise<boolean> {
    if (this.current !== 'driving') return false;
    return ((await this.deps.lease.standbys()) ?? 0) > 0;
  }

  /** Stops ticking and gives the lease back, so a standby takes the app at its next tick. */
  async stop(): Promise<boolean> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const released = await this.deps.lease.release();
    this.deps.log.info({ app: this.app, released }, released ? 'ARI app lease released' : 'ARI app lease not released (not held, or Redis away: it lapses)');
    return released;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    try {
      await this.step();
    } catch (err) {
      this.deps.log.error({ err, app: this.app }, 'app lease step failed; trying again at the next tick');
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.everyMs);
  }

  private async step(): Promise<void> {
    const claim = await this.deps.lease.claim();
    if (this.stopped) return;
    this.noteRedis(claim.kind === 'unknown' ? claim.error : undefined);
    if (claim.kind === 'other' && claim.holder !== this.otherHolder) {
      this.otherHolder = claim.holder;
      if (this.current === 'standby') {
        this.deps.log.info({ app: this.app, heldBy: claim.holder }, `standby: app ${this.app} held by ${claim.holder}`);
        this.deps.onRole?.('standby', claim.holder);
      } else {
        this.deps.log.warn({ app: this.app, heldBy: claim.holder }, 'the ARI app lease is held by another instance while this one drives the app; it keeps the app until Asterisk hands it over');
      }
    }
    if (claim.kind === 'mine') this.otherHolder = undefined;
    let step = slotStep(this.current, claim);
    if (step === 'ask-asterisk') step = stepWithoutRedis(await this.deps.appHolder());
    if (step !== 'connect' || this.stopped) return;
    this.deps.log.info({ app: this.app, lease: claim.kind === 'mine' ? 'held' : 'Redis away, app free' }, 'taking the ARI app');
    this.setRole('driving', undefined);
    await this.deps.drive();
  }

  private noteRedis(error: string | undefined): void {
    if (error && !this.redisAway) this.deps.log.warn({ app: this.app, role: this.current, error }, 'app lease: Redis does not answer; a driving instance keeps the app, a standby takes it only if Asterisk says it is free');
    if (!error && this.redisAway) this.deps.log.info({ app: this.app, role: this.current }, 'app lease: Redis answers again');
    this.redisAway = Boolean(error);
  }

  private setRole(role: SlotRole, heldBy: string | undefined): void {
    this.current = role;
    this.otherHolder = heldBy;
    this.deps.onRole?.(role, heldBy);
  }
}
