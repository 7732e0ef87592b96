/**
 * Where Asterisk looks for `sound:<name>` played in a language (file.c fileexists_core, with
 * the default `languageprefix = yes`): `<sounds>/<language>/<name>`, then the language
 * without its dialect (`zh_TW` → `zh`), then `<sounds>/<name>`, then `<sounds>/en/<name>`,
 * each in every format a loaded format module reads.
 */
import { join } from 'node:path';

/**
 * File extensions of the formats the shipped modules.conf loads: format_wav (wav, wav16),
 * format_gsm, format_sln, format_pcm (ulaw, alaw and their short names), format_g722.
 */
export const SOUND_EXTENSIONS: readonly string[] = ['wav', 'wav16', 'gsm', 'sln', 'sln16', 'ulaw', 'ul', 'alaw', 'al', 'pcm', 'g722'];

/** Asterisk's built-in default language, tried last. */
const DEFAULT_LANGUAGE = 'en';

/** The language directories in the order Asterisk tries them; `''` is the sounds directory itself. */
export function languageDirs(language: string): string[] {
  const dirs: string[] = [];
  let lang = language;
  while (lang !== '') {
    dirs.push(lang);
    const cut = lang.lastIndexOf('_');
    if (cut < 0) break;
    lang = lang.slice(0, cut);
  }
  dirs.push('');
  if (language !== DEFAULT_LANGUAGE && lang !== DEFAULT_LANGUAGE) dirs.push(DEFAULT_LANGUAGE);
  return dirs;
}

/** Every file path Asterisk would try for `name` in `language`, in order. */
export function soundCandidates(soundsDir: string, name: string, language: string): string[] {
  if (name.startsWith('/')) return SOUND_EXTENSIONS.map((ext) => `${name}.${ext}`);
  return languageDirs(language).flatMap((dir) => SOUND_EXTENSIONS.map((ext) => join(soundsDir, dir, `${name}.${ext}`)));
}
