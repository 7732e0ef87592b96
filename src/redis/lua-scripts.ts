/**
 * A feature's atomic Redis steps, one named Lua file each in its `scripts/` folder (grep a
 * step by its name). Defined as commands on a connection the first time one runs: ioredis
 * sends them with EVALSHA and falls back to EVAL when a restarted Redis has forgotten them,
 * one round trip either way.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

type Arg = string | number;
export type RunScript<N extends string> = (redis: Redis, name: N, keys: string[], args: Arg[]) => Promise<unknown>;

/** Reads `<dir>/<name>.lua` for every name now (a missing file fails at start) and returns the runner. */
export function luaScripts<N extends string>(dir: URL, names: readonly N[], commandPrefix: string): RunScript<N> {
  const lua = new Map(names.map((name) => [name, readFileSync(new URL(`${name}.lua`, dir), 'utf8')]));
  const commandOf = (name: N): string => `${commandPrefix}_${name.replaceAll('-', '_')}`;
  const ready = new WeakSet<Redis>();
  return (redis, name, keys, args) => {
    if (!ready.has(redis)) {
      for (const [script, source] of lua) redis.defineCommand(commandOf(script), { lua: source });
      ready.add(redis);
    }
    const command = (redis as unknown as Record<string, (n: number, ...a: Arg[]) => Promise<unknown>>)[commandOf(name)]!;
    return command.call(redis, keys.length, ...keys, ...args);
  };
}
