/** The archive's atomic Redis steps, one named Lua file each in ./scripts. */
import { luaScripts } from '../redis/lua-scripts.js';

export const RECORDING_SCRIPTS = ['access-log-append', 'lock-release'] as const;
export type RecordingScript = (typeof RECORDING_SCRIPTS)[number];

export const runRecordingScript = luaScripts(new URL('./scripts/', import.meta.url), RECORDING_SCRIPTS, 'recording');
