/**
 * Readable log lines for the demo: one per call coming in and going out (who called which
 * line, what they chose, how it ended, and for a call an agent took: the queue, the agent
 * and the caller's wait), and the ACD at work in between (a caller waiting in a queue, an
 * agent answering, agents going ready and not ready). Numbers are masked like everywhere
 * else in the logs.
 */
import type { Logger } from 'pino';
import type { DomainEventBus } from '../src/calls/event-bus.js';

interface SeenCall {
  caller: string;
  line: string;
  choices: string[];
  answered?: { queue: string; agentId: string; waitedMs: number };
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

export function logCallSummaries(bus: DomainEventBus, log: Logger): () => void {
  const seen = new Map<string, SeenCall>();
  const offs = [
    bus.on('call.started', (e) => {
      seen.set(e.callId, { caller: e.data.caller, line: e.data.line, choices: [] });
      log.info({ callId: e.callId, caller: e.data.caller, dialled: e.data.dialled, line: e.data.line }, 'call in');
    }),
    bus.on('call.ivr-choice', (e) => {
      seen.get(e.callId)?.choices.push(`${e.data.node}:${e.data.input ?? '-'}→${e.data.outcome}`);
    }),
    bus.on('call.queued', (e) => {
      log.info({ callId: e.callId, queue: e.data.queue, skill: e.data.skill, priority: e.data.priority }, 'caller waits for an agent');
    }),
    bus.on('call.agent-answered', (e) => {
      const call = seen.get(e.callId);
      if (call) call.answered = { queue: e.data.queue, agentId: e.data.agentId, waitedMs: e.data.waitedMs };
      log.info({ callId: e.callId, queue: e.data.queue, agentId: e.data.agentId, waitedSeconds: seconds(e.data.waitedMs) }, 'agent answered');
    }),
    bus.on('agent.state-changed', (e) => {
      const { agentId, from, to, reason, queue } = e.data;
      if (to === 'ready') log.info({ agentId, after: from }, from === 'offline' ? 'agent logged in, ready' : 'agent ready');
      else if (to === 'not-ready') log.info({ agentId, reason, after: from }, 'agent not ready');
      else if (to === 'offline') log.info({ agentId }, 'agent logged out');
      else log.debug({ agentId, state: to, queue, after: from }, 'agent state');
    }),
    bus.on('call.ended', (e) => {
      const call = seen.get(e.callId);
      seen.delete(e.callId);
      const answered = call?.answered;
      log.info(
        {
          callId: e.callId,
          caller: call?.caller,
          line: call?.line,
          path: call?.choices.join(' '),
          ...(answered && { queue: answered.queue, agentId: answered.agentId, waitedSeconds: seconds(answered.waitedMs) }),
          outcome: e.data.outcome,
          endedBy: e.data.endedBy,
          seconds: seconds(e.data.durationMs),
        },
        'call out',
      );
    }),
  ];
  return () => offs.forEach((off) => off());
}
