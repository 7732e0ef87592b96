/**
 * A bare event WebSocket client for tests: collects frames and waits for one by type.
 */
import { vi } from 'vitest';
import WebSocket from 'ws';

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
    next(type, pred = () => true) {
      return vi.waitFor(() => {
        const found = client.frames.find((f) => f.type === type && pred(f));
        if (!found) throw new Error(`no ${type} event within 5 s; received ${client.frames.map((f) => String(f.type)).join(', ')}`);
        return found;
      }, { timeout: 5000, interval: 5 });
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
