/**
 * What one media item of a playback does on a target: which files Asterisk opens in the
 * playback's language, whether each can be translated to the target's format, how long it
 * plays and whether the item fails. The rules are res_stasis_playback.c's and say.c's:
 *
 * - `sound:` a missing file, or one with no translation path to the channel's format, fails
 *   the item at once (ast_control_streamfile returns -1).
 * - `digits:` skips characters whose file is missing (say.c checks first), but a file that
 *   exists and cannot be translated fails the item.
 * - `number:` skips every file it cannot open, missing or untranslatable: the item ends
 *   `done` even when nothing was heard (say.c ignores ast_streamfile's result).
 */
import { digitFiles, numberFiles } from './say.js';
import type { SoundPlayed } from './types.js';
import type { World } from './world.js';

/** Length of one `digits/…` file when the options give none (a spoken digit). */
const DIGIT_MS = 450;

export interface MediaPlan {
  ms: number;
  failed: boolean;
  /** The file log entries, without the playback's id and target. */
  sounds: Array<Omit<SoundPlayed, 'playbackId' | 'targetUri'> & { quiet?: boolean }>;
}

type Attempt = { ok: true; file: string } | { ok: false; missing: string } | { ok: false; file: string; error: string };

function open(world: World, name: string, language: string, format: string): Attempt {
  const found = world.opts.soundLibrary.resolve(name, language);
  if (!found) return { ok: false, missing: name };
  if (!world.opts.translators.canTranslate(found.format, format)) {
    return { ok: false, file: found.path, error: `channel.c: Unable to find a codec translation path: (${found.format}) -> (${format})` };
  }
  return { ok: true, file: found.path };
}

function fileMs(world: World, name: string): number {
  return world.opts.sounds[name] ?? (name.startsWith('digits/') ? DIGIT_MS : world.soundMs(`sound:${name}`));
}

/** Plans `media` for a target whose language is `language` and whose format is `format`. */
export function planMedia(world: World, media: string, language: string, format: string): MediaPlan {
  const colon = media.indexOf(':');
  const scheme = media.slice(0, colon);
  const arg = media.slice(colon + 1);
  const plan: MediaPlan = { ms: 0, failed: false, sounds: [] };
  const base = { media, language };

  if (scheme === 'sound') {
    const a = open(world, arg, language, format);
    if (a.ok) {
      plan.sounds.push({ ...base, file: a.file });
      plan.ms = fileMs(world, arg);
    } else {
      plan.failed = true;
      plan.sounds.push('missing' in a ? { ...base, missing: a.missing } : { ...base, file: a.file, error: a.error });
    }
    return plan;
  }

  if (scheme === 'digits' || scheme === 'number') {
    const files = scheme === 'digits' ? digitFiles(arg) : /^-?\d+/.test(arg) ? numberFiles(parseInt(arg, 10), language) : undefined;
    if (!files) {
      plan.failed = true;
      return plan;
    }
    for (const name of files) {
      const a = open(world, name, language, format);
      if (a.ok) {
        plan.sounds.push({ ...base, file: a.file });
        plan.ms += fileMs(world, name);
      } else if ('missing' in a) {
        // say_digit_str looks before it opens (no warning); ast_say_number lets ast_streamfile complain.
        plan.sounds.push({ ...base, missing: a.missing, quiet: scheme === 'digits' });
      } else {
        plan.sounds.push({ ...base, file: a.file, error: a.error });
        if (scheme === 'digits') {
          plan.failed = true;
          return plan;
        }
      }
    }
    return plan;
  }

  // recording:, characters:, tone: are not modelled file by file.
  plan.ms = world.soundMs('*');
  return plan;
}
