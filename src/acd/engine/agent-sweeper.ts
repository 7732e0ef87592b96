/**
 * Moves agents on whose next step is a matter of time, whichever instance is alive to see
 * it: a wrap-up whose time is up goes ready, and a phone left "ringing" longer than any ring
 * can last is released — for a call no longer offered to it (the instance holding the caller
 * died mid-offer), or for a call still offered to it with no leg anywhere (the instance died
 * between its pick and the originate, or with a hand-off unsettled): that call goes back to
 * the head of its queue. Every instance sweeps; the agent's compare-and-set and the call's
 * requeue on its offer channel let one change through.
 */
import type { Redis } from 'ioredis';
import type { AgentStateChanged } from '../agent-events.js';
import type { AgentState } from '../agent-state.js';
import type { AcdKeys } from '../keys.js';
import { FailureStreak } from '../../shared/failure-streak.js';
import { runAcdScript } from '../redis-scripts.js';
import type { EngineParts } from './engine-parts.js';

/** What is due for one agent now; pure. */
export function dueChange(state: AgentState, now: number, ringLimitMs: number): 'wrap-up-expired' | 'check-ringing' | null {
  if (state.kind === 'wrap-up' && state.until <= now) return 'wrap-up-expired';
  if (state.kind === 'ringing' && now - state.since > ringLimitMs) return 'check-ringing';
  return null;
}

export interface AgentSweeperDeps extends Omit<EngineParts, 'ari'> {
  redis: Redis;
  keys: AcdKeys;
  /**
   * Whether this instance hears Asterisk's events now (always, when absent). While its event
   * socket is down it leaves ringing phones alone: the reconcile after it comes back knows
   * whether a leg rang out unheard (a miss: the agent paused), which a sweep cannot tell
   * from an offer nobody placed.
   */
  hearsAsterisk?: () => boolean;
}

export class AgentSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly failures = new FailureStreak(10_000);
  /** Longer than any ring timeout plus Asterisk's slack: a ring older than this is stuck. */
  private readonly ringLimitMs: number;

  constructor(private readonly deps: AgentSweeperDeps, private readonly everyMs: number) {
    this.ringLimitMs = (Math.max(...Object.values(deps.config.queues).map((q) => q.ringTimeoutSeconds)) + 30) * 1000;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { redis, keys, agents, calls, log } = this.deps;
    try {
      const { agentPrefix } = keys.scriptPrefixes();
      const flat = (await runAcdScript(redis, 'agents-timed', [keys.loggedIn()], [agentPrefix])) as string[];
      this.failures.succeeded();
      const now = this.deps.now();
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const id = flat[i]!;
        const state = JSON.parse(flat[i + 1]!) as AgentState;
        const due = dueChange(state, now, this.ringLimitMs);
        if (due === 'wrap-up-expired') await this.change(agents.apply(id, { type: 'wrap-up-expired' }, now));
        if (due === 'check-ringing' && state.kind === 'ringing' && (this.deps.hearsAsterisk?.() ?? true)) {
          const offer = await calls.state(state.callId);
          const stillOffered = offer?.state === 'offered' && offer.agentId === id;
          if (stillOffered && !(await this.requeueStuck(id, state.callId, offer.offerChannel ?? ''))) continue;
          await this.change(agents.apply(id, { type: 'caller-gone', callId: state.callId }, now));
        }
      }
    } catch (err) {
      // Redis away: the first failure of an outage, then one line per 10 s, not one per tick.
      if (this.failures.failed(err)) log.warn({ err, failingInARow: this.failures.streak }, 'agent sweep failed; retrying every tick');
    } finally {
      this.running = false;
    }
  }

  /**
   * An offer older than any ring (Asterisk ends an unanswered leg at its ring timeout): no
   * process will hear of it again. The call back at the head of its queue; false when it moved
   * meanwhile (answered, or released by another instance), the agent then left as it is.
   */
  private async requeueStuck(agentId: string, callId: string, offerChannel: string): Promise<boolean> {
    try {
      await this.deps.calls.requeue(callId, offerChannel);
    } catch {
      return false;
    }
    this.deps.log.warn({ agentId, callId, offerChannel }, 'an offer nobody placed or heard end is released: the call back at the head of its queue, the agent ready');
    this.deps.route?.();
    return true;
  }

  private async change(change: Promise<AgentStateChanged>): Promise<void> {
    // A refusal means another instance moved the agent first.
    await change.then(this.deps.changed, () => undefined);
  }
}
