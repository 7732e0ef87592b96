/**
 * The sound files the simulated Asterisk has, and how it finds one for a language.
 *
 * Paths are relative to Asterisk's sounds directory, without extension: `en/hello-world`,
 * `zh/digits/5`, `hotline/zh/welcome`. Asterisk (file.c fileexists_core, with the default
 * `languageprefix = yes`) looks for `<name>` in the language directory, then the language
 * without its dialect (`zh_TW` → `zh`), then no language directory, then `en`: the order
 * the service's start-up prompt check uses too, from the same function.
 */
import { languageDirs } from '../../src/ivr/sound-paths.js';

export interface SoundFile {
  /** Where it was found, e.g. `zh/digits/5`. */
  path: string;
  /** The file's format (its extension): what Asterisk must translate to the channel's. */
  format: string;
}

export interface SoundLibraryOptions {
  /** Files present, `path` or `path.ext` (no extension: wav). */
  files: Iterable<string>;
  /**
   * Directories taken to hold every name asked for, e.g. `hotline/`: the centre's own
   * prompt mounts, whose content the simulator cannot list (the service checks those files
   * at start, see src/ivr/prompt-files.ts).
   */
  openDirs?: Iterable<string>;
}

const FORMAT_OF_EXTENSION: Readonly<Record<string, string>> = {
  wav: 'slin', wav16: 'slin16', sln: 'slin', sln16: 'slin16', gsm: 'gsm', ulaw: 'ulaw', alaw: 'alaw', g722: 'g722',
};

export class SoundLibrary {
  private readonly files = new Map<string, string>();
  private readonly openDirs: string[];

  constructor(opts: SoundLibraryOptions) {
    for (const entry of opts.files) {
      const m = /^(.*)\.([a-z0-9]+)$/.exec(entry);
      const ext = m?.[2];
      if (m && ext && FORMAT_OF_EXTENSION[ext]) this.files.set(m[1]!, FORMAT_OF_EXTENSION[ext]!);
      else this.files.set(entry, 'slin');
    }
    this.openDirs = [...(opts.openDirs ?? [])];
  }

  /** The file Asterisk would open for `name` in `language`, or undefined (missing). */
  resolve(name: string, language: string): SoundFile | undefined {
    if (name.startsWith('/')) return this.at(name);
    for (const lang of languageDirs(language)) {
      const found = this.at(lang === '' ? name : `${lang}/${name}`);
      if (found) return found;
    }
    return undefined;
  }

  private at(path: string): SoundFile | undefined {
    const format = this.files.get(path);
    if (format) return { path, format };
    if (this.openDirs.some((dir) => path.startsWith(dir))) return { path, format: 'slin' };
    return undefined;
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The number files both sets have: 0–20, the tens, hundred, thousand. */
const NUMBER_NAMES = [...range(0, 20), 30, 40, 50, 60, 70, 80, 90].map((n) => `digits/${n}`).concat(['digits/hundred', 'digits/thousand']);

/**
 * What a stock Asterisk 22 image has: the core English sounds (installed as gsm by default),
 * of which the simulator lists those the traces, the shipped dialplan and say.c ask for.
 */
export const STOCK_ENGLISH_SOUNDS: readonly string[] = [
  'hello-world', 'demo-congrats', 'tt-monkeys', 'tt-weasels', 'beep', 'vm-goodbye',
  'pls-hold-while-try', 'all-circuits-busy-now', 'pls-try-call-later', 'vm-intro', 'vm-theperson', 'vm-isunavail',
  // app_queue's announcements, which an ACD of its own plays too (s13).
  'queue-thankyou', 'queue-youarenext', 'queue-thereare', 'queue-callswaiting', 'queue-holdtime', 'queue-minutes',
  'queue-seconds', 'queue-less-than', 'queue-reporthold', 'queue-periodic-announce',
  ...range(1, 10).map((n) => `silence/${n}`),
  ...NUMBER_NAMES, 'digits/million', 'digits/minus', 'digits/star', 'digits/pound',
  ...range(0, 6).map((n) => `digits/day-${n}`), ...range(0, 11).map((n) => `digits/mon-${n}`),
].map((name) => `en/${name}.gsm`);

/**
 * The Mandarin digits scripts/generate-prompts.sh writes to var/sounds/zh (mounted at
 * sounds/zh): what `digits:` and `number:` need in the zh number mode.
 */
export const GENERATED_ZH_DIGITS: readonly string[] = [...NUMBER_NAMES, 'digits/wan', 'digits/yi'].map((name) => `zh/${name}.wav`);

/** The centre's prompts, mounted at sounds/hotline by docker-compose. */
export const CENTRE_PROMPT_DIRS: readonly string[] = ['hotline/'];
