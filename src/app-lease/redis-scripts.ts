/** The app lease's atomic Redis steps, one Lua file each in ./scripts. */
import { luaScripts } from '../redis/lua-scripts.js';

export const APP_LEASE_SCRIPTS = ['app-lease-claim', 'app-lease-release', 'app-lease-standbys'] as const;
export const runAppLeaseScript = luaScripts(new URL('./scripts/', import.meta.url), APP_LEASE_SCRIPTS, 'app_lease');
