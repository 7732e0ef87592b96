/**
 * The hand-off used until the ACD, the emergency linkage and the callback feature land:
 * the channel goes back to the Asterisk dialplan, to a context named in config, whose
 * extensions use app_queue and Dial. Channel variables say what the menu decided; nothing
 * pretends a feature that does not exist yet.
 *
 *   extension  variables set first
 *   queue      HOTLINE_QUEUE, HOTLINE_SKILL, HOTLINE_PRIORITY, QUEUE_PRIO (read by app_queue)
 *   emergency  HOTLINE_ROUTE
 *   transfer   HOTLINE_TRANSFER_NUMBER (the dialplan dials it over the trunk, caller id kept)
 *   callback   HOTLINE_CALLBACK_REASON
 *   every one  HOTLINE_CALL_ID, HOTLINE_LINE
 */
import type { CallContext, FlowResult } from '../calls/index.js';
import type { IvrPorts } from './ports/handoff.js';

export interface DialplanHandoffOptions {
  context: string;
}

async function handOff(
  call: CallContext,
  context: string,
  extension: string,
  variables: Record<string, string>,
  transferred: { target: string; kind: 'number' | 'queue' },
): Promise<FlowResult> {
  const all = { HOTLINE_CALL_ID: call.callId, HOTLINE_LINE: call.line, ...variables };
  for (const [name, value] of Object.entries(all)) await call.ari.setVariable(call.channelId, name, value);
  // Published before the channel leaves: once it has, the session ends the call at once, and
  // `call.transferred` must not arrive after `call.ended`. A failed continue is recorded next
  // (`…:failed` step, call outcome `failed`).
  call.publish('call.transferred', { target: transferred.target, kind: transferred.kind, by: 'ivr' });
  await call.ari.continueInDialplan(call.channelId, { context, extension, priority: 1 });
  return { then: 'handed-off', outcome: 'transferred' };
}

export function createDialplanHandoff(options: DialplanHandoffOptions): IvrPorts {
  const { context } = options;
  return {
    queue: {
      enqueue: (call, r) =>
        handOff(
          call,
          context,
          'queue',
          { HOTLINE_QUEUE: r.queue, HOTLINE_SKILL: r.skill, HOTLINE_PRIORITY: String(r.priority), QUEUE_PRIO: String(r.priority) },
          { target: `queue:${r.queue}`, kind: 'queue' },
        ),
    },
    emergency: {
      transfer: (call, r) => handOff(call, context, 'emergency', { HOTLINE_ROUTE: r.route }, { target: `emergency:${r.route}`, kind: 'number' }),
    },
    numberTransfer: {
      transfer: (call, r) => handOff(call, context, 'transfer', { HOTLINE_TRANSFER_NUMBER: r.number }, { target: r.number, kind: 'number' }),
    },
    callbackRequest: {
      request: (call, r) => handOff(call, context, 'callback', { HOTLINE_CALLBACK_REASON: r.reason }, { target: `callback:${r.reason}`, kind: 'number' }),
    },
  };
}
