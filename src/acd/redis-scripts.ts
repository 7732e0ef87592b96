/**
 * The ACD's atomic Redis steps, one named Lua file each in ./scripts (grep a step by its
 * name). Defined as commands on a connection, ioredis sends them with EVALSHA and falls
 * back to EVAL when a restarted Redis has forgotten them: one round trip either way.
 */
import { luaScripts } from '../redis/lua-scripts.js';

export const ACD_SCRIPTS = ['agent-login', 'agent-apply', 'agent-restore', 'acd-pick', 'call-enqueue', 'call-dequeue', 'call-requeue', 'call-transfer', 'call-position', 'agents-timed'] as const;
export type AcdScript = (typeof ACD_SCRIPTS)[number];

/** Runs one script; defines them all on the connection the first time it is used. */
export const runAcdScript = luaScripts(new URL('./scripts/', import.meta.url), ACD_SCRIPTS, 'acd');
