/** A simulator with an event WebSocket open for `hotline`, closed together. */
import { afterEach, beforeEach } from 'vitest';
import { startAriSimulator, type AriSimulator, type AriSimulatorOptions } from '../../../sim/index.js';
import { openEvents, type EventsClient } from './events-client.js';

export interface SimWithEvents { sim: AriSimulator; ev: EventsClient; close(): Promise<void> }

export async function startSimWithEvents(o: Partial<AriSimulatorOptions> = {}): Promise<SimWithEvents> {
  const sim = await startAriSimulator({ username: 'ari', password: 'ari', speed: 20, ...o });
  const ev = await openEvents(sim.url);
  return {
    sim, ev,
    async close() {
      ev.close();
      await sim.close();
    },
  };
}

/**
 * Registers hooks that start a fresh simulator with events before each test and close it
 * after; `options` is called for each test (a fresh ManualClock each time, say).
 */
export function useSimWithEvents(options: () => Partial<AriSimulatorOptions> = () => ({})): { readonly sim: AriSimulator; readonly ev: EventsClient } {
  let current: SimWithEvents | undefined;
  beforeEach(async () => {
    current = await startSimWithEvents(options());
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const live = () => {
    if (!current) throw new Error('the simulator runs only inside a test');
    return current;
  };
  return {
    get sim() { return live().sim; },
    get ev() { return live().ev; },
  };
}
