/** The dispositions' atomic Redis steps, one named Lua file each in ./scripts. */
import { luaScripts } from '../../redis/lua-scripts.js';

export const DISPOSITION_SCRIPTS = ['disposition-set', 'disposition-take'] as const;

export const runDispositionScript = luaScripts(new URL('./scripts/', import.meta.url), DISPOSITION_SCRIPTS, 'acd');
