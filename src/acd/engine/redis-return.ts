/**
 * The ACD gets back in step with Redis when Redis returns after an outage. While Redis was
 * away the calls went on (Asterisk is the truth about channels): callers kept waiting on
 * music, talks stayed bridged, hang-ups were heard. What this process holds is written back:
 *
 *   writes Redis did not take      (unstored-changes.ts) written now, in order: an agent whose
 *                                  caller hung up goes to wrap-up, a caller who left is taken
 *                                  out of the queue, an ended talk's record is removed
 *   a caller waiting here          put back in their queue when Redis has no entry for them
 *                                  (it came back empty), with their first place (enqueued-at,
 *                                  priority, skill): the longest waiting are offered first
 *   a talk going on here           its talk record written back, and its agent known on-call
 *                                  again (agent-store.ts restoreOnCall) when Redis lost them
 *
 * Redis's picture of each call is read as a restarted instance reads it (call-resume.ts
 * resumePoint), so both compare the same things. Whether Redis came back empty or with its
 * data is told by `keptSince`, a key written once: it changes no step (each checks what Redis
 * holds) but says what happened in the log. Run on the ACD connection's `ready` after a lost
 * connection, and on the tick while writes wait (a slow Redis that timed commands out without
 * dropping the connection); one run at a time. Nothing here runs on a call's path.
 */
import type { Logger } from 'pino';
import type { AriPort } from '../../ari/index.js';
import type { AcdCore } from '../acd-core.js';
import type { AgentStateChanged } from '../agent-events.js';
import { AcdError } from '../errors.js';
import { FailureStreak } from '../../shared/failure-streak.js';
import { SerialPasses } from '../../shared/serial-passes.js';
import { resumePoint } from './call-resume.js';
import type { TalkRecords } from './engine-parts.js';
import { talkRecordFields } from './talk-records.js';
import type { UnstoredChanges } from './unstored-changes.js';
import type { WaitingCall } from './waiting-call.js';

export interface RedisReturnDeps {
  core: AcdCore;
  ari: AriPort;
  unstored: UnstoredChanges;
  /** The callers this instance holds in the ACD now (waiting or talking). */
  held(): WaitingCall[];
  talk: TalkRecords;
  changed(event: AgentStateChanged): void;
  route(): void;
  log: Logger;
  now(): number;
}

/** What one pass wrote back. */
export interface WrittenBack {
  requeued: number;
  talks: number;
  agents: number;
}

export class RedisReturn {
  /** When the connection was lost, since the last pass that went through; null while none was. */
  private lostAt: number | null = null;
  private readonly passes = new SerialPasses(async () => {
    if (this.deps.core.redis.status === 'ready') await this.pass();
  });
  private timer: NodeJS.Timeout | null = null;
  private readonly offs: Array<() => void> = [];
  /** A pass failing tick after tick (Redis or Asterisk away again) is told once per 10 s. */
  private readonly failures = new FailureStreak(10_000);

  constructor(private readonly deps: RedisReturnDeps, private readonly everyMs: number) {}

  start(): void {
    const { redis, keys } = this.deps.core;
    const lost = (): void => void (this.lostAt ??= this.deps.now());
    const ready = (): void => (this.lostAt !== null ? this.kick() : undefined);
    redis.on('close', lost);
    redis.on('ready', ready);
    this.offs.push(() => redis.off('close', lost), () => redis.off('ready', ready));
    // The mark an empty Redis will lack; not there yet when this Redis is new (or was emptied before this start).
    void redis.set(keys.keptSince(), String(this.deps.now()), 'NX').catch(() => undefined);
    this.timer ??= setInterval(() => (this.deps.unstored.size > 0 || this.lostAt !== null ? this.kick() : undefined), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs a pass now, or once more after the one running. */
  kick(): void {
    this.passes.kick();
  }

  /**
   * Writes what waited; after a lost connection, also the calls held since before it was lost
   * (those that came later entered Redis themselves, or went to the dialplan's queue).
   */
  private async pass(): Promise<void> {
    const { core, unstored, log } = this.deps;
    const lostAt = this.lostAt;
    this.lostAt = null;
    try {
      const empty = lostAt !== null && (await core.redis.set(core.keys.keptSince(), String(this.deps.now()), 'NX')) === 'OK';
      const unstoredWrites = await unstored.writeAll((change) => this.outdated(change));
      if (lostAt === null) return;
      const written = await this.writeBack(lostAt);
      this.failures.succeeded();
      log.info({ empty, unstored: unstoredWrites, ...written }, empty ? 'Redis came back empty: the ACD wrote back the calls it holds' : 'the ACD is in step with Redis again');
      this.deps.route();
    } catch (err) {
      // Away again (or Asterisk cannot say): the calls are compared again at the next return or tick.
      this.lostAt = Math.min(lostAt ?? this.deps.now(), this.lostAt ?? Infinity);
      if (this.failures.failed(err)) log.warn({ err: { message: (err as Error).message }, failingInARow: this.failures.streak }, 'the ACD could not get in step with Redis; trying again on the next tick');
    }
  }

  /**
   * A queue exit of a call waiting again here (moved to another queue since) or the removal of
   * the talk record of a call talking again: what they would undo was written anew since, so
   * they were done after all (a command timed out unanswered) — written now, they would harm.
   */
  private outdated(change: { what: string; callId: string }): boolean {
    if (change.what !== 'queue exit' && change.what !== 'talk record removal') return false;
    const now = this.deps.held().find((w) => w.deps.call.callId === change.callId);
    return change.what === 'queue exit' ? Boolean(now?.isWaiting) : Boolean(now?.talk);
  }

  /** Each call held since before `lostAt` compared with what Redis holds of it; what Redis lost is written back. */
  private async writeBack(lostAt: number): Promise<WrittenBack> {
    const written: WrittenBack = { requeued: 0, talks: 0, agents: 0 };
    for (const held of this.deps.held()) {
      if (held.deps.enqueuedAt >= lostAt) continue;
      const done = await this.writeBackOne(held);
      if (done.requeued) written.requeued++;
      if (done.talk) written.talks++;
      if (done.agent) written.agents++;
    }
    return written;
  }

  private async writeBackOne(held: WaitingCall): Promise<{ requeued?: boolean; talk?: boolean; agent?: boolean }> {
    const { core, ari } = this.deps;
    const { call } = held.deps;
    const talk = held.talk;
    if (!held.isWaiting && !talk) return {};
    const at = await resumePoint({ ari, calls: core.calls, talk: (id) => core.redis.hgetall(core.keys.talk(id)) }, call);
    if (held.isWaiting) return at ? {} : { requeued: await this.requeue(held) };
    if (!talk || at?.phase === 'talking') return {};
    const fields = talkRecordFields({ callId: call.callId, callerChannel: call.channelId, agentChannel: talk.channelId, app: ari.app, agentId: talk.id, queue: held.queueName, answeredAt: talk.answeredAt });
    await this.deps.talk.save(call.callId, fields);
    const restored = await core.agents.restoreOnCall(talk.id, { callId: call.callId, queue: held.queueName, since: talk.answeredAt });
    if (restored) this.deps.changed(restored);
    // The talk ended while it was written back: its end found nothing to change, so it is done here.
    if (held.talk !== talk) {
      await this.deps.talk.remove(call.callId);
      const wrapUpSeconds = core.config.queues[held.queueName]?.wrapUpSeconds ?? 0;
      if (restored) await core.agents.apply(talk.id, { type: 'hang-up', callId: call.callId, wrapUpSeconds }, this.deps.now()).then(this.deps.changed, () => undefined);
    }
    call.log.info({ agentId: talk.id, agentRestored: Boolean(restored) }, 'the talk is written back to Redis, which had lost it');
    return { talk: true, agent: Boolean(restored) };
  }

  /** The waiting caller back in their queue with their first place; taken out again if they left meanwhile. */
  private async requeue(held: WaitingCall): Promise<boolean> {
    const { core, ari } = this.deps;
    const { call, request, enqueuedAt } = held.deps;
    if (!this.stillHeld(held)) return false;
    try {
      await core.calls.enqueue({ callId: call.callId, queue: held.queueName, skill: request.skill, priority: request.priority, enqueuedAt, app: ari.app, caller: call.caller.number });
    } catch (err) {
      if (err instanceof AcdError && err.code === 'acd:call-already-queued') return false;
      throw err;
    }
    // The caller left while their place was written: their own exit found nothing to take out.
    if (!held.isWaiting || !this.stillHeld(held)) {
      await core.calls.dequeue(call.callId);
      return false;
    }
    call.log.info({ queue: held.queueName, waitedMs: this.deps.now() - enqueuedAt }, 'the waiting caller is back in the queue Redis had lost, in their place');
    return true;
  }

  /** Still this instance's wait for the call (not gone to the dialplan's queue, not moved on). */
  private stillHeld(held: WaitingCall): boolean {
    return held.isWaiting && this.deps.held().includes(held);
  }
}
