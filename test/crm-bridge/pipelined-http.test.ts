/**
 * The sinks' HTTP client against a real node:http server: pipelined answers reach the
 * request they belong to, every framing a server may use is read, and a connection that
 * fails fails what was on it (the deliverer retries those) without stopping the client.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelinedHttp } from '../../src/crm-bridge/pipelined-http.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/sinks/x/events?v=1`, server, connections: () => connections };
}

describe('pipelined HTTP client', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    closers.splice(0).forEach((close) => close());
  });
  function client(url: string, options: Partial<{ connections: number; depth: number; timeoutMs: number }> = {}): PipelinedHttp {
    const c = new PipelinedHttp({ url, connections: 2, depth: 8, timeoutMs: 2000, ...options });
    closers.push(() => c.close());
    return c;
  }

  it('gives every one of many pipelined requests its own answer, on few connections', async () => {
    // Answers out of arrival order in time: node still writes them in request order per connection.
    const { url, server, connections } = await serve((req, body, res) => {
      setTimeout(() => res.end(JSON.stringify({ id: req.headers['x-id'], body, path: req.url })), Math.random() * 5);
    });
    closers.push(() => server.close());
    const http = client(url);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => http.post({ 'X-Id': `id-${i}` }, `{"n":${i},"text":"ünïcode"}`)));
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ id: `id-${i}`, body: `{"n":${i},"text":"ünïcode"}`, path: '/sinks/x/events?v=1' });
    });
    expect(connections()).toBeLessThanOrEqual(2);
  });

  it('reads chunked answers, answers without a body, and a server that closes after answering', async () => {
    let n = 0;
    const { url, server } = await serve((_req, _body, res) => {
      const kind = n++ % 3;
      if (kind === 0) {
        res.write('part one, ');
        res.end('part two');
      } else if (kind === 1) {
        res.statusCode = 204;
        res.end();
      } else {
        res.setHeader('connection', 'close');
        res.statusCode = 503;
        res.end('closing');
      }
    });
    closers.push(() => server.close());
    const http = client(url, { connections: 1, depth: 1 });
    expect(await http.post({}, '{}')).toEqual({ status: 200, text: 'part one, part two' });
    expect(await http.post({}, '{}')).toEqual({ status: 204, text: '' });
    expect(await http.post({}, '{}')).toEqual({ status: 503, text: 'closing' });
    // A new connection after the server closed the last one.
    expect(await http.post({}, '{}')).toEqual({ status: 200, text: 'part one, part two' });
  });

  it('sends again, not fails, what was pipelined behind the last answer of a server that closes every connection', async () => {
    const { url, server, connections } = await serve((req, _body, res) => {
      res.setHeader('connection', 'close');
      res.end(`for ${req.headers['x-id']}`);
    });
    closers.push(() => server.close());
    const http = client(url, { connections: 1, depth: 8 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => http.post({ 'X-Id': `id-${i}` }, '{}')));
    expect(answers.map((a) => a.text)).toEqual(Array.from({ length: 12 }, (_, i) => `for id-${i}`));
    expect(connections()).toBeGreaterThan(1);
  });

  it('fails a request with no answer in time and those behind it on its connection, then carries on', async () => {
    const { url, server } = await serve((req, _body, res) => {
      if (req.headers['x-id'] === 'slow') return; // never answered
      res.end('ok');
    });
    closers.push(() => server.close());
    const http = client(url, { connections: 1, depth: 4, timeoutMs: 200 });
    const slow = http.post({ 'X-Id': 'slow' }, '{}');
    const behind = http.post({ 'X-Id': 'fast' }, '{}');
    await expect(slow).rejects.toMatchObject({ code: 'timeout' });
    await expect(behind).rejects.toMatchObject({ code: 'timeout' });
    expect(await http.post({ 'X-Id': 'fast' }, '{}')).toEqual({ status: 200, text: 'ok' });
  });

  it('fails what is in flight when the server goes away, and refuses a header it cannot send', async () => {
    const { url, server } = await serve((req) => req.socket.destroy());
    closers.push(() => server.close());
    const http = client(url);
    await expect(http.post({}, '{}')).rejects.toMatchObject({ code: 'network' });
    await expect(http.post({ 'X-Id': 'a\r\nX-Injected: 1' }, '{}')).rejects.toMatchObject({ code: 'unsendable' });
    const aborted = http.post({}, '{}');
    http.abortAll();
    await expect(aborted).rejects.toMatchObject({ code: 'aborted' });
  });

  it('speaks TLS to an https sink it trusts, and refuses one it does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-tls-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      req.resume();
      req.on('end', () => res.end(`secure ${req.headers['x-id']}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/sinks/x/events`;
    const trusted = new PipelinedHttp({ url, connections: 1, depth: 4, timeoutMs: 2000, ca: readFileSync(cert, 'utf8') });
    closers.push(() => trusted.close());
    const answers = await Promise.all(['a', 'b', 'c'].map((id) => trusted.post({ 'X-Id': id }, '{}')));
    expect(answers.map((a) => a.text)).toEqual(['secure a', 'secure b', 'secure c']);
    await expect(client(url).post({}, '{}')).rejects.toMatchObject({ code: 'network' });
  });
});
