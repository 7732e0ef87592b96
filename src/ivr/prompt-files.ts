/**
 * Which configured prompts have no sound file: checked at start so a missing recording is
 * found before a caller hears silence, and reported in one line.
 *
 * Files are looked for as Asterisk looks for them (see sound-paths.ts) under `soundsDir`, a
 * copy or mount of what Asterisk has under its sounds directory: scripts/generate-prompts.sh
 * writes var/sounds/hotline/… and var/sounds/zh/digits/…, which docker-compose mounts both
 * into Asterisk's sounds directory and into the service.
 */
import { access } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { PromptsConfig } from '../calls/index.js';
import { soundCandidates } from './sound-paths.js';

export interface MissingSound {
  promptId: string;
  language: string;
  sound: string;
}

/** How many prompt ids the summary line names before "…". */
const NAMED_IN_SUMMARY = 5;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function firstExisting(paths: readonly string[]): Promise<boolean> {
  for (const path of paths) if (await exists(path)) return true;
  return false;
}

/**
 * Sounds of `prompts.sounds` with no file Asterisk would find under `soundsDir`, each looked
 * up in its own language. `languages` limits the check (default: every language configured).
 */
export async function findMissingSounds(prompts: PromptsConfig, soundsDir: string, languages?: readonly string[]): Promise<MissingSound[]> {
  const missing: MissingSound[] = [];
  for (const [promptId, byLanguage] of Object.entries(prompts.sounds)) {
    for (const [language, sound] of Object.entries(byLanguage)) {
      if (languages && !languages.includes(language)) continue;
      if (!(await firstExisting(soundCandidates(soundsDir, sound, language)))) missing.push({ promptId, language, sound });
    }
  }
  return missing;
}

/**
 * For the wiring at start: one line, a warning naming the count and the first few prompt
 * ids when files are missing (the service still starts). Checks the default language, the
 * one calls are played in; `languages` widens it.
 */
export async function reportMissingSounds(
  prompts: PromptsConfig, soundsDir: string, log: Logger, languages: readonly string[] = [prompts.defaultLanguage],
): Promise<MissingSound[]> {
  const missing = await findMissingSounds(prompts, soundsDir, languages);
  const checked = Object.values(prompts.sounds).reduce((n, byLanguage) => n + Object.keys(byLanguage).filter((l) => languages.includes(l)).length, 0);
  if (missing.length === 0) {
    log.info({ soundsDir, languages, prompts: checked }, `all ${checked} prompt sounds found`);
    return missing;
  }
  const named = missing.slice(0, NAMED_IN_SUMMARY).map((m) => `${m.promptId} (${m.language})`);
  const more = missing.length > NAMED_IN_SUMMARY ? ', …' : '';
  const why = (await exists(soundsDir)) ? '' : ` (${soundsDir} does not exist)`;
  log.warn(
    { soundsDir, languages, missing: missing.length, of: checked, first: missing.slice(0, NAMED_IN_SUMMARY) },
    `${missing.length} of ${checked} prompt sounds have no file under ${soundsDir}${why}: ${named.join(', ')}${more}; ` +
      'run scripts/generate-prompts.sh for a demo set, or install the recorded prompts',
  );
  return missing;
}
