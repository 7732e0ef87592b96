/**
 * Places the callbacks that are due, on every instance: claims due jobs (leased, capped
 * across instances by the store), reserves an agent for each through the queue (a
 * reservation keeps a virtual-hold caller's place), and when the agent answers calls the
 * citizen (CallbackCall). The job's lease is renewed while it waits; the outcome is written
 * back to the store, which retries or gives up, and published as `call.callback` on the
 * original call.
 */
import type { AttemptOutcome, CallbackJob } from '../callbacks/callback-job.js';
import type { CallbackStore } from '../callbacks/callback-store.js';
import { FailureStreak } from '../../shared/failure-streak.js';
import { AcdError } from '../errors.js';
import type { EngineParts, TalkRecords } from './engine-parts.js';
import { CallbackCall } from './callback-call.js';
import type { QueuedParty } from './queued-party.js';

/** What the attempt came to, for the call's stream of events. */
export interface CallbackAttempted {
  jobId: string;
  kind: CallbackJob['kind'];
  attempt: number;
  outcome: AttemptOutcome;
  agentId: string | null;
  /** `retry` at `nextAttemptAt`, or the job is over (`connected`, `given-up`). */
  next: 'retry' | 'connected' | 'given-up';
  nextAttemptAt: string | null;
}

export interface CallbackDialerDeps extends EngineParts {
  store: CallbackStore;
  talk: TalkRecords;
  /** Puts the attempt where the engine routes its agent legs; the returned function takes it out. */
  register(jobId: string, party: QueuedParty & CallbackCall): () => void;
  route(): void;
  attempted(callId: string, data: CallbackAttempted): void;
  everyMs: number;
}

export class CallbackDialer {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly failures = new FailureStreak(10_000);
  private readonly attempts = new Map<string, { call: CallbackCall; renew: NodeJS.Timeout; unregister: () => void }>();

  constructor(private readonly deps: CallbackDialerDeps) {}

  /** Jobs this instance works on now. */
  get inFlight(): number {
    return this.attempts.size;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.deps.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Reservations still waiting go back (their leases run out and another instance takes them).
    await Promise.all([...this.attempts.values()].map(async (a) => {
      clearInterval(a.renew);
      a.unregister();
      await a.call.abandon();
    }));
    this.attempts.clear();
  }

  /** Claims what is due and starts each; also run by tests instead of waiting for the tick. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const { store, ari, log } = this.deps;
    try {
      const room = this.deps.config.callbacks.maxConcurrent - this.attempts.size;
      if (room <= 0) return;
      const claimed = await store.claimDue(this.deps.now(), room, ari.app);
      this.failures.succeeded();
      for (const given of claimed.givenUp) log.info({ jobId: given.jobId, kind: given.kind }, 'callback given up: its last attempt was lost with its instance');
      for (const job of claimed.jobs) await this.begin(job);
    } catch (err) {
      if (this.failures.failed(err)) log.warn({ err, failingInARow: this.failures.streak }, 'callback claim failed; retrying every tick');
    } finally {
      this.running = false;
    }
  }

  private async begin(job: CallbackJob): Promise<void> {
    const { config, calls, ari, store, log } = this.deps;
    const queue = config.queues[job.queue];
    if (!queue) {
      log.error({ jobId: job.id, queue: job.queue }, 'callback for a queue that no longer exists: given up');
      await this.finish(job, 'given-up', null);
      return;
    }
    const call = new CallbackCall({ ...this.deps, job, queue, done: (outcome, agentId) => void this.finish(job, outcome, agentId) });
    const renewEvery = Math.max(1000, (config.callbacks.leaseSeconds * 1000) / 3);
    const renew = setInterval(() => void store.renew(job.id, ari.app, this.deps.now()).catch(() => undefined), renewEvery);
    renew.unref();
    this.attempts.set(job.id, { call, renew, unregister: this.deps.register(job.id, call) });
    try {
      // A reservation left by an instance that died is taken out first: its agent legs would go to a dead app.
      await calls.dequeue(job.id);
      await calls.enqueue({ callId: job.id, queue: job.queue, skill: queue.skill, priority: job.priority, enqueuedAt: job.enqueuedAt, app: ari.app, caller: job.number, kind: 'callback' });
    } catch (err) {
      if (!(err instanceof AcdError && err.code === 'acd:call-already-queued')) {
        log.error({ err, jobId: job.id }, 'callback reservation not queued; retried later');
        await this.finish(job, 'failed', null);
        return;
      }
    }
    this.deps.route();
  }

  private async finish(job: CallbackJob, outcome: AttemptOutcome, agentId: string | null): Promise<void> {
    const attempt = this.attempts.get(job.id);
    if (attempt) {
      clearInterval(attempt.renew);
      attempt.unregister();
      this.attempts.delete(job.id);
    }
    const { store, ari, log } = this.deps;
    const result = await store.finish(job.id, ari.app, outcome, this.deps.now()).catch((err: unknown) => {
      log.error({ err, jobId: job.id }, 'callback outcome not stored; the lease runs out and it is tried again');
      return null;
    });
    log.info({ jobId: job.id, kind: job.kind, attempt: job.attempts, outcome, result: result?.result }, 'callback attempt over');
    if (!result || (result.result !== 'retry' && result.result !== 'done')) return;
    this.deps.attempted(job.callId, {
      jobId: job.id,
      kind: job.kind,
      attempt: job.attempts,
      outcome,
      agentId,
      next: result.result === 'retry' ? 'retry' : result.outcome,
      nextAttemptAt: result.result === 'retry' ? new Date(result.dueAt).toISOString() : null,
    });
  }
}
