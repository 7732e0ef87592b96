/**
 * A bare event WebSocket client for tests: collects frames and waits for one by type.
 */
import WebSocket from 'ws';
import { until } from './replay.js';

export interface EventsClient {
  frames: Array<Record<string, unknown>>;
  closeCode?: number;
  next(type: string, pred?: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): void;
}

export async function openEvents(url: string, app = 'hotline', key = 'ari:ari'): Promise<EventsClient> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ari/events?app=${app}&api_key=${key}`);
  const client: EventsClient = {
    frames: [],
    async next(type, pred = () => true) {
      let found: Record<string, unknown> | undefined;
      await until(() => (found = client.frames.find((f) => f.type === type && pred(f))) !== undefined, 5000);
      if (!found) throw new Error(`no ${type} event`);
      return found;
    },
    close: () => ws.close(),
  };
  ws.on('message', (d) => client.frames.push(JSON.parse(String(d)) as Record<string, unknown>));
  ws.on('close', (code) => (client.closeCode = code));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return client;
}
