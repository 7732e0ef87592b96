/**
 * The calls' atomic Redis steps, one named Lua file each in ./scripts. Defined as commands on
 * a connection, ioredis sends them with EVALSHA and falls back to EVAL when a restarted Redis
 * has forgotten them: one round trip either way.
 */
import { luaScripts } from '../redis/lua-scripts.js';

export const CALL_SCRIPTS = ['live-save'] as const;
export type CallScript = (typeof CALL_SCRIPTS)[number];

/** Runs one script; defines them all on the connection the first time it is used. */
export const runCallScript = luaScripts(new URL('./scripts/', import.meta.url), CALL_SCRIPTS, 'calls');
