/**
 * The remaining resources ari-client knows: asterisk (info, ping, global variables),
 * applications, endpoints, sounds, device states, mailboxes and user events.
 */
import { z } from 'zod';
import type { World } from '../model/world.js';
import { endpointSnapshot } from '../model/registrations.js';
import { list, message, noContent, notFound, ok, parseQuery, ReplyError, route, type Route } from './kit.js';

const globals = new WeakMap<World, Map<string, string>>();
const globalsOf = (world: World) => {
  let g = globals.get(world);
  if (!g) globals.set(world, (g = new Map()));
  return g;
};

function application(world: World, name: string) {
  const channel_ids = [...world.channels.values()].filter((c) => c.stasisApp === name && !c.hangingUp).map((c) => c.id);
  const bridge_ids = [...world.bridges.values()].filter((b) => b.subs.has(name)).map((b) => b.id);
  const endpoint_ids = [...(world.subscriptions.get(name) ?? [])].filter((s) => s.startsWith('endpoint:')).map((s) => s.slice('endpoint:'.length));
  return { name, channel_ids, bridge_ids, endpoint_ids, device_names: [], events_allowed: [], events_disallowed: [] };
}

const endpoint = (name: string, world: World) => endpointSnapshot(world, name);

const SubscriptionQuery = z.object({ eventSource: list.optional() });

/** `applications.subscribe` / `unsubscribe`: `endpoint:PJSIP/<name>`, `bridge:<id>`, `channel:<id>`. */
function subscription(world: World, app: string, query: URLSearchParams, on: boolean) {
  if (!world.hub.isRegistered(app)) throw new ReplyError(notFound('Application'));
  const { eventSource } = parseQuery(SubscriptionQuery, query);
  if (!eventSource || eventSource.length === 0) throw new ReplyError(message(400, 'Missing parameter eventSource'));
  for (const source of eventSource) {
    const [scheme, ...rest] = source.split(':');
    const target = rest.join(':');
    if (scheme === 'endpoint') {
      const [tech, resource] = target.split('/');
      if (tech !== 'PJSIP' || (resource !== undefined && !world.opts.endpoints.has(resource))) {
        throw new ReplyError(message(422, 'Event source does not exist'));
      }
    } else if (scheme === 'bridge' || scheme === 'channel') {
      const found = scheme === 'bridge' ? world.bridges.get(target) : world.findChannel(target);
      if (!found) throw new ReplyError(message(422, 'Event source does not exist'));
      if (on) found.subs.add(app);
      else found.subs.delete(app);
      if ('destroyNotice' in found) {
        if (on) found.destroyNotice.add(app);
        else found.destroyNotice.delete(app);
      }
      continue;
    } else {
      throw new ReplyError(message(400, 'Invalid event source URI scheme'));
    }
    let sources = world.subscriptions.get(app);
    if (!sources) world.subscriptions.set(app, (sources = new Set()));
    if (on) sources.add(source);
    else sources.delete(source);
  }
  return ok(application(world, app));
}

const SOUNDS = ['hello-world', 'demo-congrats', 'tt-monkeys', 'tt-weasels', 'beep', 'vm-goodbye'];

export const systemRoutes: Route[] = [
  route('GET', '/asterisk/info', () => ok({
    build: { os: 'Linux', kernel: '6.1.0', machine: 'x86_64', options: '', date: '2026-11-01 00:00:00 UTC', user: 'root' },
    system: { version: '22.10.1', entity_id: '02:fc:00:00:00:01' },
    config: { name: '', default_language: 'en', setid: { user: '', group: '' } },
    status: { startup_time: '2026-11-21T19:00:00.000+0000', last_reload_time: '2026-11-21T19:00:00.000+0000' },
  })),
  route('GET', '/asterisk/ping', ({ world }) => ok({ asterisk_id: '02:fc:00:00:00:01', ping: 'pong', timestamp: world.now() })),
  route('GET', '/asterisk/variable', ({ world, query }) => {
    const q = parseQuery(z.object({ variable: z.string().optional() }), query);
    if (!q.variable) throw new ReplyError(message(400, 'Variable name is required'));
    return ok({ value: globalsOf(world).get(q.variable) ?? '' });
  }),
  route('POST', '/asterisk/variable', ({ world, query }) => {
    const q = parseQuery(z.object({ variable: z.string().optional(), value: z.string().optional() }), query);
    if (!q.variable) throw new ReplyError(message(400, 'Variable name is required'));
    globalsOf(world).set(q.variable, q.value ?? '');
    return noContent();
  }),
  route('GET', '/applications', ({ world }) => ok(world.hub.registeredApps().map((a) => application(world, a)))),
  route('GET', '/applications/{applicationName}', ({ world, params }) => {
    const name = params.applicationName ?? '';
    if (!world.hub.isRegistered(name)) throw new ReplyError(notFound('Application'));
    return ok(application(world, name));
  }),
  route('POST', '/applications/{applicationName}/subscription', ({ world, params, query }) =>
    subscription(world, params.applicationName ?? '', query, true)),
  route('DELETE', '/applications/{applicationName}/subscription', ({ world, params, query }) =>
    subscription(world, params.applicationName ?? '', query, false)),
  route('GET', '/endpoints', ({ world }) => ok([...world.opts.endpoints.keys()].map((n) => endpoint(n, world)))),
  route('GET', '/endpoints/{tech}', ({ world, params }) => {
    if (params.tech !== 'PJSIP') throw new ReplyError(notFound('Endpoint'));
    return ok([...world.opts.endpoints.keys()].map((n) => endpoint(n, world)));
  }),
  route('GET', '/endpoints/{tech}/{resource}', ({ world, params }) => {
    if (params.tech !== 'PJSIP' || !world.opts.endpoints.has(params.resource ?? '')) throw new ReplyError(notFound('Endpoint'));
    return ok(endpoint(params.resource!, world));
  }),
  route('GET', '/sounds', () => ok(SOUNDS.map((id) => ({ id, text: id, formats: [{ language: 'en', format: 'gsm' }] })))),
  route('GET', '/sounds/{soundId}', ({ params }) => {
    if (!SOUNDS.includes(params.soundId ?? '')) throw new ReplyError(notFound('Sound'));
    return ok({ id: params.soundId, text: params.soundId, formats: [{ language: 'en', format: 'gsm' }] });
  }),
  route('GET', '/deviceStates', () => ok([])),
  route('GET', '/mailboxes', () => ok([])),
  route('POST', '/events/user/{eventName}', ({ world, params, query }) => {
    const q = parseQuery(z.object({ application: z.string().optional() }), query);
    if (!q.application) throw new ReplyError(message(400, 'Missing parameter application'));
    if (!world.hub.isRegistered(q.application)) throw new ReplyError(notFound('Application'));
    world.hub.emit([q.application], 'ChannelUserevent', { eventname: params.eventName, userevent: {} });
    return noContent();
  }),
];
