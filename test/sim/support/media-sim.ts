/**
 * A simulator with an event socket for the media tests (language, codecs): started per test
 * with the options given, its WARNING lines collected, and closed after each test.
 */
import { afterEach } from 'vitest';
import { startAriSimulator, type AriSimulator, type AriSimulatorOptions } from '../../../sim/index.js';
import { openEvents, type EventsClient } from './events-client.js';

export interface MediaSim {
  s: AriSimulator;
  e: EventsClient;
  /** What the simulated Asterisk logged. */
  lines: string[];
}

const auth = { authorization: `Basic ${Buffer.from('ari:ari').toString('base64')}` };

/** Raw ARI requests as ari-client sends them (user `ari`, password `ari`). */
export const ari = (s: AriSimulator, method: 'GET' | 'POST', path: string): Promise<Response> =>
  fetch(`${s.url}/ari${path}`, { method, headers: auth });

/** Registers the clean-up; returns the function that starts a simulator for one test. */
export function useMediaSim(): (options?: Partial<AriSimulatorOptions>) => Promise<MediaSim> {
  let running: MediaSim | undefined;
  afterEach(async () => {
    running?.e.close();
    await running?.s.close();
    running = undefined;
  });
  return async (options = {}) => {
    const lines: string[] = [];
    const s = await startAriSimulator({ username: 'ari', password: 'ari', speed: 50, log: (l) => lines.push(l), ...options });
    running = { s, e: await openEvents(s.url), lines };
    return running;
  };
}
