/**
 * `/sim/...` over HTTP: the control API for the demo and manual use. Bodies are JSON,
 * validated with zod; bad input gets a 400 with the reasons.
 *
 *   POST /sim/calls                      {from, fromName?, dialled, app?, context?, args?, endpoint?, codecs?}
 *   POST /sim/channels/{id}/digits       {digits, durationMs?, gapMs?}
 *   POST /sim/channels/{id}/hangup       {cause?}
 *   POST /sim/channels/{id}/answer       (a ringing originated channel answers)
 *   POST /sim/channels/{id}/reject       {kind: busy|congestion|480|486|503|603}
 *   POST /sim/endpoints/behaviours       {pattern, regex?, behaviour}
 *   POST /sim/endpoints/{name}/register  {contact?, phone?: behaviour}
 *   POST /sim/endpoints/{name}/unregister
 *   POST /sim/websockets/drop
 *   POST /sim/outage                     {ms}
 *   POST /sim/raw-events                 {any JSON object}
 *   GET  /sim/channels | /sim/bridges | /sim/recordings | /sim/events
 *   GET  /sim/channels/{id}/media        RTP counts of a softphone call: {codec, state, rtpSent, rtpReceived, dtmfReceived}
 */
import { z } from 'zod';
import { SimControl, SimControlError } from './control.js';
import type { EventHub } from './events.js';
import type { ControlHandler } from './server.js';

const Digits = z.string().regex(/^[0-9A-D*#]{1,64}$/);
const Delay = z.number().min(0).max(600_000);
const Rejection = z.union([z.literal(480), z.literal(486), z.literal(503), z.literal(603)]);
const Behaviour = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('answer'), afterMs: Delay, ringingAfterMs: Delay.optional() }),
  z.object({ kind: z.literal('reject'), status: Rejection, afterMs: Delay, ringingAfterMs: Delay.optional() }),
  z.object({ kind: z.literal('busy'), afterMs: z.number().min(0).max(600_000) }),
  z.object({ kind: z.literal('congestion'), afterMs: z.number().min(0).max(600_000) }),
  z.object({ kind: z.literal('no-answer') }),
  z.object({ kind: z.literal('unreachable') }),
  z.object({ kind: z.literal('ring') }),
]);

const schemas = {
  call: z.object({
    from: z.string().min(1).max(64),
    fromName: z.string().max(128).optional(),
    dialled: z.string().regex(/^[0-9A-Za-z*#+_-]{1,64}$/),
    app: z.string().regex(/^[\w.-]{1,80}$/).optional(),
    context: z.string().regex(/^[\w.-]{1,80}$/).optional(),
    args: z.array(z.string().max(256)).max(16).optional(),
    endpoint: z.string().regex(/^[\w.-]{1,80}$/).optional(),
    codecs: z.array(z.string().regex(/^[a-z0-9]{2,16}$/)).max(16).optional(),
  }),
  digits: z.object({ digits: Digits, durationMs: z.number().min(40).max(10_000).optional(), gapMs: z.number().min(0).max(60_000).optional() }),
  hangup: z.object({ cause: z.number().int().min(0).max(127).optional() }),
  reject: z.object({ kind: z.union([z.enum(['busy', 'congestion']), Rejection]) }),
  register: z.object({ contact: z.string().regex(/^sips?:[^\s<>]{1,200}$/).optional(), phone: Behaviour.optional() }),
  behaviour: z.object({ pattern: z.string().min(1).max(256), regex: z.boolean().optional(), behaviour: Behaviour }),
  outage: z.object({ ms: z.number().min(0).max(3_600_000) }),
  raw: z.record(z.string(), z.unknown()),
};

type Reply = { status: number; body?: unknown };

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    throw new SimControlError(400, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return r.data;
}

export function controlHttp(control: SimControl, hub: EventHub): ControlHandler {
  const handle = async (method: string, path: string, body: unknown): Promise<Reply> => {
    const chan = /^\/channels\/([^/]+)\/(digits|hangup|answer|reject)$/.exec(path);
    if (method === 'POST' && chan) {
      const id = decodeURIComponent(chan[1]!);
      switch (chan[2]) {
        case 'digits': {
          const b = parse(schemas.digits, body);
          control.pressDigits(id, b.digits, b);
          return { status: 204 };
        }
        case 'hangup':
          control.hangupFromCaller(id, parse(schemas.hangup, body));
          return { status: 204 };
        case 'answer':
          control.answerChannel(id);
          return { status: 204 };
        default:
          control.rejectChannel(id, parse(schemas.reject, body).kind);
          return { status: 204 };
      }
    }
    const media = /^\/channels\/([^/]+)\/media$/.exec(path);
    if (method === 'GET' && media) return { status: 200, body: control.media(decodeURIComponent(media[1]!)) };
    const endpoint = /^\/endpoints\/([^/]+)\/(register|unregister)$/.exec(path);
    if (method === 'POST' && endpoint) {
      const name = decodeURIComponent(endpoint[1]!);
      if (endpoint[2] === 'register') control.registerEndpoint(name, parse(schemas.register, body));
      else control.unregisterEndpoint(name);
      return { status: 204 };
    }
    const key = `${method} ${path}`;
    switch (key) {
      case 'POST /calls':
        return { status: 200, body: control.placeCall(parse(schemas.call, body)) };
      case 'POST /endpoints/behaviours': {
        const b = parse(schemas.behaviour, body);
        let pattern: string | RegExp = b.pattern;
        if (b.regex) {
          try {
            pattern = new RegExp(b.pattern);
          } catch {
            throw new SimControlError(400, 'pattern: invalid regular expression');
          }
        }
        control.setEndpointBehaviour(pattern, b.behaviour);
        return { status: 204 };
      }
      case 'POST /websockets/drop':
        control.dropWebSockets();
        return { status: 204 };
      case 'POST /outage': {
        const { ms } = parse(schemas.outage, body);
        // Answer first: the outage closes this very server.
        setImmediate(() => void control.outage(ms));
        return { status: 202 };
      }
      case 'POST /raw-events':
        control.emitRaw(parse(schemas.raw, body));
        return { status: 204 };
      case 'GET /channels':
        return { status: 200, body: control.channels() };
      case 'GET /bridges':
        return { status: 200, body: control.bridges() };
      case 'GET /recordings':
        return { status: 200, body: control.recordings() };
      case 'GET /events':
        return { status: 200, body: hub.events() };
      default:
        return { status: 404, body: { message: 'Resource not found' } };
    }
  };
  return async (method, path, body) => {
    try {
      return await handle(method, path, body);
    } catch (err) {
      if (err instanceof SimControlError) return { status: err.status, body: { message: err.message } };
      throw err;
    }
  };
}
