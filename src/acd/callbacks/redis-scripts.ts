/**
 * The callback jobs' atomic Redis steps, one named Lua file each in ./scripts. Defined as
 * commands on a connection: EVALSHA, with EVAL when a restarted Redis has forgotten them.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export const CALLBACK_SCRIPTS = ['cb-schedule', 'cb-claim', 'cb-finish', 'cb-renew', 'cb-cancel'] as const;
export type CallbackScript = (typeof CALLBACK_SCRIPTS)[number];

const lua = Object.fromEntries(CALLBACK_SCRIPTS.map((name) => [name, readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8')])) as Record<CallbackScript, string>;
const commandOf = (name: CallbackScript): string => `acd_${name.replaceAll('-', '_')}`;
const ready = new WeakSet<Redis>();

/** Runs one script; defines them all on the connection the first time it is used. */
export function runCallbackScript(redis: Redis, name: CallbackScript, keys: string[], args: Array<string | number>): Promise<unknown> {
  if (!ready.has(redis)) {
    for (const script of CALLBACK_SCRIPTS) redis.defineCommand(commandOf(script), { lua: lua[script] });
    ready.add(redis);
  }
  const command = (redis as unknown as Record<string, (n: number, ...a: Array<string | number>) => Promise<unknown>>)[commandOf(name)]!;
  return command.call(redis, keys.length, ...keys, ...args);
}
