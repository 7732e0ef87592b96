/**
 * Ways a caller leaves the queue without an agent, other than hanging up: the queue's
 * overflow after the longest wait (another queue, a callback, the dialplan), and a callback
 * later (virtual hold, or the overflow's callback), after which the line is closed.
 */
import { isGone, type AriPort } from '../../ari/index.js';
import { isChannelLost, type CallQueueNote, type FlowResult } from '../../calls/index.js';
import type { WaitEnd, WaitingCallDeps } from './waiting-call-deps.js';

/** What the exits need of the waiting call. */
export interface QueueExit {
  deps: WaitingCallDeps;
  ari: AriPort;
  callId: string;
  queueName: string;
  /** Takes the call out of the queue for good; false when the wait had ended already. */
  leave(result: NonNullable<CallQueueNote['result']>): Promise<boolean>;
  finish(end: WaitEnd): void;
  fallback(): Promise<FlowResult>;
}

/** The caller will be called back (keeping their priority and place): told so, then the line is closed. */
export async function callBackLater(exit: QueueExit, number: string, why: string): Promise<void> {
  const { call, request, callbacks, config, enqueuedAt } = exit.deps;
  try {
    if (!callbacks) throw new Error('no callback feature is configured (acd.callbacks)');
    const taken = await callbacks.scheduleVirtualHold({ callId: exit.callId, number, queue: exit.queueName, priority: request.priority, enqueuedAt }, exit.deps.now());
    call.log.info({ taken, why }, 'the caller will be called back');
  } catch (err) {
    // Not taken, and the caller is out of the queue now: the dialplan's queue serves them.
    call.log.error({ err, why }, 'callback not taken; handing the caller to the fallback');
    return exit.finish({ result: await exit.fallback() });
  }
  void exit.deps.stats?.overflowed(exit.queueName, exit.deps.now());
  await exit.ari.stopMoh(call.channelId).catch(() => undefined);
  if (config.virtualHold) await call.play(call.promptMedia(config.virtualHold.takenPrompt), { bargeIn: false });
  exit.finish({ result: { then: 'hangup', outcome: 'completed' } });
}

/** The longest wait is over: the queue's overflow. */
export async function overflow(exit: QueueExit): Promise<void> {
  const { call, queue, request } = exit.deps;
  const target = queue.overflow;
  const result = target.kind === 'queue' ? 'overflow-queue' : target.kind === 'callback' ? 'overflow-callback' : 'overflow-dialplan';
  if (!(await exit.leave(result))) return;
  if (target.kind === 'callback') return callBackLater(exit, call.caller.number, 'overflow');
  void exit.deps.stats?.overflowed(exit.queueName, exit.deps.now());
  if (target.kind === 'queue') return exit.finish({ movedTo: target.queue });
  // What the IVR's hand-off tells the dialplan, so `Queue(hotline-${HOTLINE_QUEUE})` finds the queue.
  const variables = { HOTLINE_CALL_ID: exit.callId, HOTLINE_LINE: call.line, HOTLINE_QUEUE: exit.queueName, HOTLINE_SKILL: request.skill, HOTLINE_PRIORITY: String(request.priority), QUEUE_PRIO: String(request.priority) };
  for (const [name, value] of Object.entries(variables)) await exit.ari.setVariable(call.channelId, name, value).catch(() => undefined);
  call.publish('call.transferred', { target: `dialplan:${target.context}`, kind: 'queue', by: 'acd' });
  await exit.ari.continueInDialplan(call.channelId, { context: target.context, extension: target.extension, priority: 1 }).catch((err: unknown) => {
    if (!isGone(err)) call.log.error({ err }, 'overflow to the dialplan failed');
  });
  exit.finish({ result: { then: 'handed-off', outcome: 'transferred' } });
}

/**
 * The caller's channel left while waiting: hung up, an abandoned call (a missed call to call
 * back); left the app with no hangup (handed back to the dialplan at a shutdown), handed on.
 * A channel found gone after a reconnect hung up unheard: abandoned too.
 */
export async function abandon(exit: QueueExit, hangupSeen: boolean): Promise<void> {
  const { call, callbacks, stats, enqueuedAt } = exit.deps;
  if (!hangupSeen && !isChannelLost(call.signal)) {
    if (await exit.leave('fallback')) exit.finish({ result: { then: 'handed-off', outcome: 'transferred' } });
    return;
  }
  if (!(await exit.leave('abandoned'))) return;
  const at = exit.deps.now();
  void stats?.abandoned(exit.queueName, at - enqueuedAt, at);
  if (callbacks) {
    void callbacks
      .scheduleMissed({ callId: exit.callId, number: call.caller.number, queue: exit.queueName, missedAt: at, reason: 'abandoned' }, at)
      .catch((err: unknown) => call.log.error({ err }, 'missed-call callback not scheduled'));
  }
  exit.finish({ result: { then: 'caller-gone' } });
}
