/**
 * The bridge's atomic Redis steps, one named Lua file each in ./scripts, so every step can
 * be found by name. ioredis sends them with EVALSHA and falls back to EVAL after a Redis
 * restart has flushed its script cache, in pipelines too.
 */
import { readFileSync } from 'node:fs';
import type { ChainableCommander, Redis } from 'ioredis';

export const SCRIPT_NAMES = [
  'outbox-marker',
  'outbox-append',
  'outbox-ack',
  'dead-letter-move',
  'dead-letter-replay',
  'lease-acquire',
  'lease-release',
  'inbound-accept',
  'inbound-done',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

const sources = new Map<ScriptName, string>(
  SCRIPT_NAMES.map((name) => [name, readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8')]),
);

const installed = new WeakSet<object>();

/** Defines every script as a command on this connection (idempotent). */
export function installScripts(redis: Redis): Redis {
  if (installed.has(redis)) return redis;
  for (const [name, lua] of sources) redis.defineCommand(commandName(name), { lua });
  installed.add(redis);
  return redis;
}

type Arg = string | number;
type ScriptFn<R> = (numKeys: number, ...args: Arg[]) => R;

/** Runs a script on a connection; the key count travels first because some scripts take a variable number. */
export function runScript(redis: Redis, name: ScriptName, keys: string[], args: Arg[]): Promise<unknown> {
  const fn = (redis as unknown as Record<string, ScriptFn<Promise<unknown>>>)[commandName(name)];
  if (!fn) throw new Error(`script ${name} is not installed on this connection`);
  return fn.call(redis, keys.length, ...keys, ...args);
}

/** Queues a script in a pipeline (the connection it came from must have the scripts installed). */
export function queueScript(pipeline: ChainableCommander, name: ScriptName, keys: string[], args: Arg[]): void {
  const fn = (pipeline as unknown as Record<string, ScriptFn<ChainableCommander>>)[commandName(name)];
  if (!fn) throw new Error(`script ${name} is not installed on this connection`);
  fn.call(pipeline, keys.length, ...keys, ...args);
}

function commandName(name: ScriptName): string {
  return `crm_${name.replaceAll('-', '_')}`;
}
