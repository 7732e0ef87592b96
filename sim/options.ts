/**
 * Options of the ARI simulator and their defaults.
 *
 * Sound lengths matter because the service waits for PlaybackFinished: the defaults are the
 * lengths a stock Asterisk 22 sound set plays for (measured in the recorded traces where they
 * appear), so a demo feels like the real thing and `speed` shrinks them uniformly for tests.
 */
import type { Clock } from './clock.js';
import type { ResolvedOptions } from './model/types.js';
import { Translators } from './model/codecs.js';
import { endpointsFromConf, LAB_ENDPOINTS, type PjsipEndpointConfig } from './model/endpoints.js';
import { WEB_CALLER, WEB_CALLER_ENDPOINT } from './sip/credentials.js';
import { CENTRE_PROMPT_DIRS, GENERATED_ZH_DIGITS, SoundLibrary, STOCK_ENGLISH_SOUNDS } from './model/sound-library.js';

export interface AriSimulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  username: string;
  password: string;
  /** Where recordings are written; a fresh temp dir when absent. */
  recordingsDir?: string;
  /** Time scale: 10 makes every sound, Wait and timeout ten times shorter. */
  speed?: number;
  /**
   * The simulator's time, when a test moves it itself (a ManualClock); `speed` then plays
   * no part. Default: the wall clock scaled by `speed`.
   */
  clock?: Clock;
  /** Sound name (without `sound:`) to its length in ms. A name given a length also exists as a file. */
  soundDurationsMs?: Record<string, number>;
  /**
   * The sound files Asterisk has, as paths under its sounds directory (`en/hello-world.gsm`,
   * `zh/digits/5.wav`; no extension means wav). Default: the stock English core sounds and
   * the zh digits scripts/generate-prompts.sh makes (see model/sound-library.ts).
   */
  soundFiles?: readonly string[];
  /** Directories taken to hold every name asked for. Default `['hotline/']`, the centre's prompts. */
  openSoundDirs?: readonly string[];
  /** codec_opus is installed (the README's Opus option): Opus channels get a path to slin. */
  codecOpus?: boolean;
  /**
   * Extra or replaced SIP endpoints, by name, on top of the lab's and those of the shipped
   * asterisk-config/pjsip.conf (e.g. the carrier without `language`, an agent allowing opus).
   */
  endpoints?: Record<string, { context?: string; language?: string; allow?: string[]; callerId?: { name: string; number: string } }>;
  /**
   * The AGENT_SIP_SECRET softphones' passwords are derived from (src/acd/sip-credentials.ts),
   * for REGISTER and INVITE over `/ws`. Default: the public example secret the shipped
   * pjsip_agents.conf was generated with.
   */
  sipSecret?: string;
  log?: (line: string) => void;
}

export const DEFAULT_SOUND_DURATIONS_MS: Readonly<Record<string, number>> = {
  'hello-world': 1400,
  'demo-congrats': 30_000,
  'tt-monkeys': 7_000,
  'tt-weasels': 2_950,
  'beep': 250,
  'silence/1': 1000,
  'vm-goodbye': 1000,
  'queue-thankyou': 1990,
};

export const DEFAULT_UNKNOWN_SOUND_MS = 2000;

export type { ResolvedOptions };

/** The sound files, translators and endpoints the options describe. */
export function mediaWorld(options: AriSimulatorOptions): Pick<ResolvedOptions, 'soundLibrary' | 'translators' | 'endpoints'> {
  const declared = Object.keys(options.soundDurationsMs ?? {}).filter((name) => name !== '*');
  const soundLibrary = new SoundLibrary({
    files: [...(options.soundFiles ?? [...STOCK_ENGLISH_SOUNDS, ...GENERATED_ZH_DIGITS]), ...declared],
    openDirs: options.openSoundDirs ?? CENTRE_PROMPT_DIRS,
  });
  const endpoints = new Map<string, PjsipEndpointConfig>(Object.entries({ ...LAB_ENDPOINTS, ...endpointsFromConf(), [WEB_CALLER_ENDPOINT]: WEB_CALLER }));
  for (const [name, given] of Object.entries(options.endpoints ?? {})) {
    const base = endpoints.get(name) ?? { callerId: { name: '', number: '' }, context: 'default', language: 'en', allow: ['ulaw'] };
    endpoints.set(name, { ...base, ...given });
  }
  return { soundLibrary, translators: new Translators({ codecOpus: options.codecOpus }), endpoints };
}
