/**
 * Which configured sounds have no file: reported at start so a missing recording is found
 * before a caller hears silence. Asterisk plays `sound:<name>` from any of these formats.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { PromptsConfig } from '../calls/index.js';

const EXTENSIONS = ['wav', 'gsm', 'ulaw', 'alaw', 'sln', 'sln16', 'g722', 'wav16'];

export interface MissingSound {
  promptId: string;
  language: string;
  sound: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Sounds of `prompts.sounds` with no file under `soundsDir` (the directory Asterisk's sounds are read from). */
export async function findMissingSounds(prompts: PromptsConfig, soundsDir: string, languages?: readonly string[]): Promise<MissingSound[]> {
  const missing: MissingSound[] = [];
  for (const [promptId, byLanguage] of Object.entries(prompts.sounds)) {
    for (const [language, sound] of Object.entries(byLanguage)) {
      if (languages && !languages.includes(language)) continue;
      const candidates = EXTENSIONS.map((ext) => join(soundsDir, `${sound}.${ext}`));
      const found = await Promise.all(candidates.map(exists));
      if (!found.some(Boolean)) missing.push({ promptId, language, sound });
    }
  }
  return missing;
}

/** For the wiring at start: logs each missing sound (a warning: the service still starts). */
export async function reportMissingSounds(prompts: PromptsConfig, soundsDir: string, log: Logger): Promise<MissingSound[]> {
  const missing = await findMissingSounds(prompts, soundsDir);
  for (const m of missing) log.warn({ ...m, soundsDir }, `no sound file for prompt "${m.promptId}" (${m.language})`);
  return missing;
}
