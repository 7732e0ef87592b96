/**
 * The callback jobs' atomic Redis steps, one named Lua file each in ./scripts. Defined as
 * commands on a connection: EVALSHA, with EVAL when a restarted Redis has forgotten them.
 */
import { luaScripts } from '../../redis/lua-scripts.js';

export const CALLBACK_SCRIPTS = ['cb-schedule', 'cb-claim', 'cb-finish', 'cb-renew', 'cb-cancel'] as const;
export type CallbackScript = (typeof CALLBACK_SCRIPTS)[number];

/** Runs one script; defines them all on the connection the first time it is used. */
export const runCallbackScript = luaScripts(new URL('./scripts/', import.meta.url), CALLBACK_SCRIPTS, 'acd');
