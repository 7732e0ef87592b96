/**
 * The ACD's atomic Redis steps, one named Lua file each in ./scripts (grep a step by its
 * name). Defined as commands on a connection, ioredis sends them with EVALSHA and falls
 * back to EVAL when a restarted Redis has forgotten them: one round trip either way.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export const ACD_SCRIPTS = ['agent-login', 'agent-apply', 'acd-pick', 'call-enqueue', 'call-dequeue', 'call-requeue'] as const;
export type AcdScript = (typeof ACD_SCRIPTS)[number];

const lua = Object.fromEntries(ACD_SCRIPTS.map((name) => [name, readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8')])) as Record<AcdScript, string>;
const commandOf = (name: AcdScript): string => `acd_${name.replaceAll('-', '_')}`;
const ready = new WeakSet<Redis>();

/** Runs one script; defines them all on the connection the first time it is used. */
export function runAcdScript(redis: Redis, name: AcdScript, keys: string[], args: Array<string | number>): Promise<unknown> {
  if (!ready.has(redis)) {
    for (const script of ACD_SCRIPTS) redis.defineCommand(commandOf(script), { lua: lua[script] });
    ready.add(redis);
  }
  const command = (redis as unknown as Record<string, (n: number, ...a: Array<string | number>) => Promise<unknown>>)[commandOf(name)]!;
  return command.call(redis, keys.length, ...keys, ...args);
}
