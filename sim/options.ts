/**
 * Options of the ARI simulator and their defaults.
 *
 * Sound lengths matter because the service waits for PlaybackFinished: the defaults are the
 * lengths a stock Asterisk 22 sound set plays for (measured in the recorded traces where they
 * appear), so a demo feels like the real thing and `speed` shrinks them uniformly for tests.
 */
import type { Clock } from './clock.js';

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
  /** Sound name (without `sound:`) to its length in ms. */
  soundDurationsMs?: Record<string, number>;
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
};

export const DEFAULT_UNKNOWN_SOUND_MS = 2000;

export interface ResolvedOptions {
  port: number;
  host: string;
  username: string;
  password: string;
  recordingsDir: string;
  speed: number;
  sounds: Record<string, number>;
  log: (line: string) => void;
}
