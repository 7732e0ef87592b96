/**
 * A lean sink for the throughput benchmark (BENCH_SINK=lean): what a receiver must do and
 * no more — check the signature (sim/ticket-backend's own check), parse the body, refuse an
 * eventId that differs from X-Hotline-Event-Id, de-duplicate by it, answer 200 — on bare
 * node:http. The reference backend also validates every body against the full schema
 * through fastify, which costs it more CPU per event than the whole bridge spends; on a
 * shared two-core machine that, not the bridge, sets the end-to-end figure.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature } from '../../sim/ticket-backend/signature.js';

export interface LeanSink {
  url: string;
  count(sink: string): number;
  close(): Promise<void>;
}

export async function startLeanSink(secrets: Record<string, string>): Promise<LeanSink> {
  const seen = new Map(Object.keys(secrets).map((s) => [s, new Set<string>()]));
  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const sink = /^\/sinks\/([a-z0-9-]+)\/events$/.exec(req.url ?? '')?.[1] ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const secret = secrets[sink];
      const ids = seen.get(sink);
      if (!secret || !ids || req.method !== 'POST') return answer(404, 'no such sink');
      const raw = Buffer.concat(chunks).toString('utf8');
      const bad = checkSignature(secret, req.headers, raw);
      if (bad) return answer(401, bad);
      let eventId: unknown;
      try {
        eventId = (JSON.parse(raw) as { eventId?: unknown }).eventId;
      } catch {
        return answer(400, 'not JSON');
      }
      if (typeof eventId !== 'string' || eventId !== req.headers['x-hotline-event-id']) return answer(400, 'eventId differs from X-Hotline-Event-Id');
      ids.add(eventId);
      answer(200, '{"received":true}');
    });
    function answer(status: number, text: string): void {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (sink) => seen.get(sink)?.size ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
