/**
 * One readable log line per call for the demo: who called which line, what they chose, how
 * it ended. Numbers are masked like everywhere else in the logs.
 */
import type { Logger } from 'pino';
import type { DomainEventBus } from '../src/calls/event-bus.js';

export function logCallSummaries(bus: DomainEventBus, log: Logger): () => void {
  const seen = new Map<string, { caller: string; line: string; choices: string[] }>();
  const offs = [
    bus.on('call.started', (e) => {
      seen.set(e.callId, { caller: e.data.caller, line: e.data.line, choices: [] });
      log.info({ callId: e.callId, caller: e.data.caller, dialled: e.data.dialled, line: e.data.line }, 'call in');
    }),
    bus.on('call.ivr-choice', (e) => {
      seen.get(e.callId)?.choices.push(`${e.data.node}:${e.data.input ?? '-'}→${e.data.outcome}`);
    }),
    bus.on('call.ended', (e) => {
      const call = seen.get(e.callId);
      seen.delete(e.callId);
      log.info(
        { callId: e.callId, caller: call?.caller, line: call?.line, path: call?.choices.join(' '), outcome: e.data.outcome, endedBy: e.data.endedBy, seconds: Math.round(e.data.durationMs / 100) / 10 },
        'call out',
      );
    }),
  ];
  return () => offs.forEach((off) => off());
}
