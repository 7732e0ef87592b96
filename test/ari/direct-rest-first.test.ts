/**
 * A caller's answer goes first: when a burst of other requests holds every socket to
 * Asterisk (a slow Asterisk, a storm of prompts), the answer is sent on sockets of its own
 * instead of queueing behind them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectRest } from '../../src/ari/direct-rest.js';

let server: Server;
let basePath: string;
/** Requests the "Asterisk" holds unanswered, in arrival order. */
let held: Array<{ url: string; res: ServerResponse }>;
let arrived: string[];
let rest: DirectRest;

beforeEach(async () => {
  held = [];
  arrived = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    arrived.push(req.url ?? '');
    req.resume();
    held.push({ url: req.url ?? '', res });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  basePath = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ari`;
  rest = new DirectRest({ username: 'u', password: 'p', timeoutMs: 10_000, scrub: (t) => t });
});
afterEach(async () => {
  for (const h of held) h.res.end();
  rest.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`not within 5 s: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Seventy prompts started and held unanswered: more than the sockets the calls' requests have. */
function fillSockets(): Array<Promise<unknown>> {
  const plays = Array.from({ length: 70 }, (_, i) => rest.send(basePath, { operation: 'channels.play', method: 'POST', segments: ['channels', `c${i}`, 'play'], query: { media: 'sound:x' } }));
  for (const p of plays) p.catch(() => undefined);
  return plays;
}

describe('direct requests with every socket busy', () => {
  it('send the answer at once on sockets of its own', async () => {
    fillSockets();
    await until('the sockets to fill', () => held.length === 64);
    const answered = rest.send(basePath, { operation: 'channels.answer', method: 'POST', segments: ['channels', 'caller', 'answer'], first: true });
    await until('the answer to reach Asterisk while the prompts wait', () => arrived.includes('/ari/channels/caller/answer'));
    expect(held.filter((h) => h.url.includes('/play?'))).toHaveLength(64);
    held.find((h) => h.url.endsWith('/answer'))!.res.writeHead(204).end();
    await expect(answered).resolves.toBeUndefined();
  });

  it('queue any other request behind the busy sockets until one is free', async () => {
    fillSockets();
    await until('the sockets to fill', () => held.length === 64);
    const other = rest.send(basePath, { operation: 'channels.hangup', method: 'DELETE', segments: ['channels', 'caller'] });
    await new Promise((r) => setTimeout(r, 100));
    expect(arrived).not.toContain('/ari/channels/caller');
    // Prompts answered free their sockets: the queue moves on (the 65th prompt, then the others).
    for (const h of held.splice(0, 9)) h.res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    await until('the hang-up to be sent', () => arrived.includes('/ari/channels/caller'));
    held.find((h) => h.url === '/ari/channels/caller')!.res.writeHead(204).end();
    await expect(other).resolves.toBeUndefined();
  });
});
