/**
 * The surveys' atomic Redis steps, one named Lua file each in ./scripts. Defined as commands
 * on a connection: EVALSHA, with EVAL when a restarted Redis has forgotten them.
 */
import { luaScripts } from '../redis/lua-scripts.js';

export const SURVEY_SCRIPTS = ['sv-schedule', 'sv-claim', 'sv-renew', 'sv-finish', 'sv-cancel', 'sv-reschedule'] as const;
export type SurveyScript = (typeof SURVEY_SCRIPTS)[number];

export const runSurveyScript = luaScripts(new URL('./scripts/', import.meta.url), SURVEY_SCRIPTS, 'survey');
