/**
 * `/channels` lifecycle routes: list/get, originate, create + dial, hangup, answer, ring,
 * continue, move, redirect and channel variables.
 */
import { z } from 'zod';
import { runDialplan } from '../dialplan.js';
import { answerChannel, exitStasisAlive, hangupChannel, setVar } from '../model/channels.js';
import { findRule, parseCallerId, resolveEndpoint } from '../model/endpoints.js';
import { dialable } from '../model/registrations.js';
import { createForDial, dial, isDialable, originate, type OriginateParams } from '../model/originate.js';
import { snapshotChannel } from '../model/world.js';
import { channelOr404, HANGUP_REASONS, stasisChannel } from './guards.js';
import {
  int, message, noContent, ok, parseQuery, ReplyError, route, variablesFrom, type RouteContext, type Route,
} from './kit.js';

const OriginateQuery = z.object({
  endpoint: z.string().optional(),
  extension: z.string().optional(),
  context: z.string().optional(),
  priority: int(1, 100_000).optional(),
  label: z.string().optional(),
  app: z.string().optional(),
  appArgs: z.string().optional(),
  callerId: z.string().max(256).optional(),
  timeout: z.coerce.number().int().optional(),
  channelId: z.string().max(128).optional(),
  otherChannelId: z.string().max(128).optional(),
  originator: z.string().optional(),
  formats: z.string().optional(),
});

function originateParams(ctx: RouteContext, forcedId?: string): OriginateParams {
  const q = parseQuery(OriginateQuery, ctx.query);
  if (!q.endpoint) throw new ReplyError(message(400, 'Endpoint must be specified'));
  if (!q.app && !q.extension) throw new ReplyError(message(400, 'Application or extension must be specified'));
  const id = forcedId ?? q.channelId;
  if ((id && ctx.world.channels.has(id)) || (q.otherChannelId && ctx.world.channels.has(q.otherChannelId))) {
    throw new ReplyError(message(409, 'Channel with given unique ID already exists'));
  }
  const { world } = ctx;
  const endpoint = resolveEndpoint(q.endpoint, world.endpointRules, world.opts.endpoints,
    (name) => dialable(world, name, findRule(world.endpointRules, q.endpoint!) !== undefined));
  if (!endpoint.ok) throw new ReplyError({ status: endpoint.status, body: endpoint.body });
  return {
    endpoint,
    app: q.app,
    appArgs: q.appArgs ? q.appArgs.split(',') : [],
    context: q.context,
    extension: q.extension,
    priority: q.priority,
    callerId: parseCallerId(q.callerId),
    timeoutSec: q.timeout === undefined || q.timeout <= 0 ? 30 : q.timeout,
    channelId: id,
    otherChannelId: q.otherChannelId,
    variables: variablesFrom(ctx.body),
  };
}

function doOriginate(ctx: RouteContext, forcedId?: string) {
  const p = originateParams(ctx, forcedId);
  if (p.app === undefined && p.context === undefined) p.context = 'default';
  return ok(snapshotChannel(originate(ctx.world, p)));
}

const HangupQuery = z.object({ reason: z.string().optional(), reason_code: z.coerce.number().int().optional() });
const ContinueQuery = z.object({
  context: z.string().optional(), extension: z.string().optional(), priority: int(1, 100_000).optional(), label: z.string().optional(),
});
const VariableQuery = z.object({ variable: z.string().optional(), value: z.string().optional() });

function readVariable(ch: ReturnType<typeof channelOr404>, name: string): string | undefined {
  if (name === 'CALLERID(num)') return ch.caller.number;
  if (name === 'CALLERID(name)') return ch.caller.name;
  if (name === 'CHANNEL') return ch.name;
  // func_channel: what a real Asterisk answers for these two on a live channel.
  if (name === 'CHANNEL(language)') return ch.language;
  if (name === 'CHANNEL(audionativeformat)') return ch.format === '*' ? undefined : `(${ch.format})`;
  return ch.vars.get(name);
}

export const channelRoutes: Route[] = [
  route('GET', '/channels', ({ world }) => ok([...world.channels.values()].filter((c) => !c.hangingUp).map(snapshotChannel))),
  route('POST', '/channels', (ctx) => doOriginate(ctx)),
  route('POST', '/channels/create', (ctx) => {
    const q = parseQuery(OriginateQuery, ctx.query);
    if (!q.endpoint) throw new ReplyError(message(400, 'Endpoint must be specified'));
    if (!q.app) throw new ReplyError(message(400, 'Application must be specified'));
    const p = originateParams(ctx);
    return ok(snapshotChannel(createForDial(ctx.world, { ...p, app: q.app })));
  }),
  route('GET', '/channels/{channelId}', ({ world, params }) => ok(snapshotChannel(channelOr404(world, params.channelId)))),
  route('POST', '/channels/{channelId}', (ctx) => doOriginate(ctx, ctx.params.channelId)),
  route('DELETE', '/channels/{channelId}', ({ world, params, query }) => {
    const q = parseQuery(HangupQuery, query);
    const ch = channelOr404(world, params.channelId);
    let cause = HANGUP_REASONS.normal!;
    if (q.reason !== undefined) {
      const r = HANGUP_REASONS[q.reason];
      if (!r) throw new ReplyError(message(400, 'Invalid reason for hangup provided'));
      cause = r;
    } else if (q.reason_code !== undefined) {
      cause = { cause: q.reason_code, cause_txt: 'Unknown' };
    }
    hangupChannel(world, ch, { cause: 32, soft: true }, cause);
    return noContent();
  }),
  route('POST', '/channels/{channelId}/answer', ({ world, params }) => {
    answerChannel(world, stasisChannel(world, params.channelId));
    return noContent();
  }),
  route('POST', '/channels/{channelId}/ring', ({ world, params }) => {
    const ch = stasisChannel(world, params.channelId);
    if (ch.state !== 'Up' && ch.state !== 'Ringing') {
      ch.state = 'Ringing';
      world.emitChannel(ch, 'ChannelStateChange');
    }
    return noContent();
  }),
  route('DELETE', '/channels/{channelId}/ring', ({ world, params }) => (stasisChannel(world, params.channelId), noContent())),
  route('POST', '/channels/{channelId}/continue', ({ world, params, query }) => {
    const q = parseQuery(ContinueQuery, query);
    const ch = stasisChannel(world, params.channelId);
    const target = q.context || q.extension || q.priority ? { context: q.context, exten: q.extension, priority: q.priority } : undefined;
    const resume = ch.resumeDialplan;
    const here = { ...ch.dialplan };
    exitStasisAlive(world, ch);
    if (resume) resume(target);
    else runDialplan(world, ch, {
      context: target?.context ?? here.context,
      exten: target?.exten ?? here.exten,
      priority: target ? target.priority ?? 1 : here.priority + 1,
    });
    return noContent();
  }),
  route('POST', '/channels/{channelId}/move', ({ world, params, query }) => {
    const q = parseQuery(z.object({ app: z.string().optional(), appArgs: z.string().optional() }), query);
    if (!q.app) throw new ReplyError(message(400, 'Application must be specified'));
    const ch = stasisChannel(world, params.channelId);
    if (!world.hub.isRegistered(q.app)) throw new ReplyError(message(404, `Application '${q.app}' not found`));
    world.emitChannel(ch, 'StasisEnd');
    ch.stasisApp = q.app;
    world.emitChannel(ch, 'StasisStart', { args: q.appArgs ? q.appArgs.split(',') : [] });
    return noContent();
  }),
  route('POST', '/channels/{channelId}/redirect', ({ world, params, query }) => {
    const q = parseQuery(z.object({ endpoint: z.string().optional() }), query);
    if (!q.endpoint) throw new ReplyError(message(400, 'Required parameter endpoint not provided'));
    const ch = stasisChannel(world, params.channelId);
    const tech = q.endpoint.split('/')[0] ?? '';
    if (!q.endpoint.includes('/')) throw new ReplyError(message(400, 'Invalid endpoint specified'));
    if (tech.toLowerCase() !== ch.tech.toLowerCase()) {
      throw new ReplyError(message(422, `Endpoint technology '${tech}' does not match channel technology '${ch.tech}'`));
    }
    // A Local channel cannot be redirected; Asterisk answers 204 and nothing happens (s7).
    if (ch.tech === 'PJSIP') hangupChannel(world, ch, { cause: 16 });
    return noContent();
  }),
  route('GET', '/channels/{channelId}/variable', ({ world, params, query }) => {
    const q = parseQuery(VariableQuery, query);
    if (!q.variable) throw new ReplyError(message(400, 'Variable name is required'));
    const value = readVariable(channelOr404(world, params.channelId), q.variable);
    if (value === undefined) throw new ReplyError(message(404, 'Provided variable was not found'));
    return ok({ value });
  }),
  route('POST', '/channels/{channelId}/variable', ({ world, params, query }) => {
    const q = parseQuery(VariableQuery, query);
    if (!q.variable) throw new ReplyError(message(400, 'Variable name is required'));
    setVar(world, stasisChannel(world, params.channelId), q.variable, q.value ?? '');
    return noContent();
  }),
  route('POST', '/channels/{channelId}/dial', ({ world, params, query }) => {
    const q = parseQuery(z.object({ caller: z.string().optional(), timeout: z.coerce.number().int().optional() }), query);
    const ch = channelOr404(world, params.channelId);
    if (!isDialable(ch)) throw new ReplyError(message(409, 'Channel is not in a state where it can be dialed'));
    dial(world, ch, q.timeout === undefined || q.timeout <= 0 ? 30 : q.timeout);
    return noContent();
  }),
  ...['moh', 'hold', 'mute', 'silence'].flatMap((what) => [
    route('POST', `/channels/{channelId}/${what}`, ({ world, params }) => (stasisChannel(world, params.channelId), noContent())),
    route('DELETE', `/channels/{channelId}/${what}`, ({ world, params }) => (stasisChannel(world, params.channelId), noContent())),
  ]),
];

