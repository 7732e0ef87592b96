/**
 * The little HTTP toolkit the REST routes share: a route table, replies, Asterisk's error
 * bodies, and zod-checked query parameters answered with Asterisk-like 400s when wrong.
 */
import { z } from 'zod';
import type { World } from '../model/world.js';

export interface Reply {
  status: number;
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
}

export interface RouteContext {
  world: World;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export type Handler = (ctx: RouteContext) => Reply;

export interface Route { method: string; pattern: RegExp; keys: string[]; handler: Handler }

/** `route('GET', '/channels/{channelId}', h)`: the path is relative to `/ari`. */
export function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = path.replace(/[.]/g, '\\.').replace(/\{(\w+)\}/g, (_m, k: string) => {
    keys.push(k);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), keys, handler };
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });
export const message = (status: number, text: string): Reply => ({ status, body: { message: text } });
export const notFound = (what: string): Reply => message(404, `${what} not found`);

/** Thrown by handlers to answer with an error reply at once. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(JSON.stringify(reply.body));
  }
}

/** Query parameters: absent or empty strings count as absent, as Asterisk treats them. */
export function parseQuery<T extends z.ZodType>(schema: T, query: URLSearchParams): z.infer<T> {
  const raw: Record<string, string> = {};
  for (const [k, v] of query) if (v !== '') raw[k] = raw[k] === undefined ? v : `${raw[k]},${v}`;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') ?? 'parameter';
  throw new ReplyError(message(400, `${field}: ${issue?.message ?? 'invalid'}`));
}

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
/** Comma-separated lists (`media=sound:a,sound:b`, `channel=a,b`). */
export const list = z.string().transform((v) => v.split(',').map((x) => x.trim()).filter((x) => x !== ''));

/** Request bodies carry `{ variables: { NAME: value } }` for originate and create. */
export function variablesFrom(body: unknown): Record<string, string> {
  const parsed = z.object({ variables: z.record(z.string(), z.coerce.string()) }).safeParse(body);
  if (body !== undefined && body !== null && body !== '' && !parsed.success) {
    throw new ReplyError(message(400, 'Invalid variables body'));
  }
  return parsed.success ? parsed.data.variables : {};
}
