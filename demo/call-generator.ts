/**
 * Simulated citizens for the demo: calls arrive on the hotline's numbers at a steady rate,
 * and each caller behaves like people do — listens, presses a menu key, types a ticket
 * number, or gives up and hangs up early.
 */
import type { Logger } from 'pino';
import type { HotlineConfig } from '../src/app/config-schema.js';

export interface SimulatorControl {
  placeCall(call: { from: string; fromName?: string; dialled: string; app?: string }): Promise<{ id: string }> | { id: string };
  pressDigits(channelId: string, digits: string): Promise<unknown> | unknown;
  hangupFromCaller(channelId: string): Promise<unknown> | unknown;
}

interface Persona {
  name: string;
  /** Keys pressed, each after a pause in ms since the call came in. */
  keys: Array<[atMs: number, digits: string]>;
  /** Hangs up this long after calling; undefined: waits for the service to end the call. */
  hangupAfterMs?: number;
}

// Keys come after the announcements (greeting, recording notice, emergency notice), while
// the menu plays: a key during a mandatory notice only restarts it.
const PERSONAS: Persona[] = [
  { name: 'waits for the menu to time out', keys: [] },
  { name: 'general matters', keys: [[7_000, '1']] },
  { name: 'enterprise line', keys: [[7_000, '2']] },
  { name: 'checks a ticket', keys: [[7_000, '3'], [10_000, '20261121001#']] },
  { name: 'asks for an agent', keys: [[7_000, '0']] },
  { name: 'presses a key the menu does not have', keys: [[7_000, '7'], [11_000, '0']] },
  { name: 'needs the police', keys: [[3_000, '9']] },
  { name: 'gives up early', keys: [], hangupAfterMs: 1_500 },
];

const random = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

function mobileNumber(): string {
  return `1${random(['3', '5', '8', '9'])}${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
}

export function startCallGenerator(options: {
  simulator: SimulatorControl;
  config: HotlineConfig;
  app: string;
  callsPerMinute: number;
  log: Logger;
}): { stop(): void } {
  const { simulator, config, log } = options;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => Promise<unknown> | unknown): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      Promise.resolve()
        .then(fn)
        // The call may already be over: that is how callers are.
        .catch((err: unknown) => log.debug({ err }, 'simulated caller action skipped'));
    }, ms);
    timers.add(t);
  };
  // Most calls come to 12345 itself; some to the merged hotlines.
  const numbers = config.hotline.numbers.flatMap((n, i) => Array<string>(i === 0 ? 4 : 1).fill(n.number));

  const placeOne = async (): Promise<void> => {
    const persona = random(PERSONAS);
    const channel = await simulator.placeCall({ from: mobileNumber(), fromName: 'Citizen', dialled: random(numbers), app: options.app });
    log.debug({ channelId: channel.id, persona: persona.name }, 'simulated call placed');
    for (const [at, digits] of persona.keys) later(at, () => simulator.pressDigits(channel.id, digits));
    if (persona.hangupAfterMs !== undefined) later(persona.hangupAfterMs, () => simulator.hangupFromCaller(channel.id));
  };

  // None asked for: none placed (60 000 / 0 would be an interval Node runs every millisecond).
  if (!(options.callsPerMinute > 0)) return { stop() {} };
  const everyMs = Math.max(200, Math.round(60_000 / options.callsPerMinute));
  later(500, placeOne);
  const interval = setInterval(() => {
    placeOne().catch((err: unknown) => log.warn({ err }, 'could not place a simulated call'));
  }, everyMs);
  return {
    stop() {
      clearInterval(interval);
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
