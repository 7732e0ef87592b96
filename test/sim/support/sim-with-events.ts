/** A simulator with an event WebSocket open for `hotline`, closed together. */
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
