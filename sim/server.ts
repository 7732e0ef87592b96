/**
 * The network face: one node:http server for REST, api-docs and the `/sim` control API,
 * with the `/ari/events` WebSocket upgrade handled by `ws`. It can stop listening and come
 * back on the same port, and it destroys open sockets when it stops so that clients see
 * ECONNREFUSED / 1006 exactly as when Asterisk goes down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { AUTH_REQUIRED, isAuthorised } from './auth.js';
import type { EventHub } from './events.js';
import type { World } from './model/world.js';
import { RequestLog } from './request-log.js';
import { dispatch } from './rest/router.js';
import { apiDoc } from './swagger/index.js';

/** Another WebSocket service on the same HTTP server (Asterisk's `/ws` for SIP). */
export type UpgradeHandler = (req: IncomingMessage, socket: Socket, head: Buffer) => void;

export type ControlHandler = (method: string, path: string, body: unknown) => Promise<{ status: number; body?: unknown }>;

const MAX_BODY = 1_000_000;

export class AriServer {
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private readonly upgrades = new Map<string, UpgradeHandler>();
  /** While set, `/ari/events` upgrades are cut before the handshake (see refuseEventSockets). */
  private eventSocketsRefused = false;
  readonly requests = new RequestLog();

  constructor(private readonly world: World, private readonly hub: EventHub, private readonly control: ControlHandler) {
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.port = (this.http.address() as AddressInfo).port;
    return this.port;
  }

  /** Serves WebSocket upgrades on `path` with `handler` (no ARI credentials asked). */
  serveUpgrade(path: string, handler: UpgradeHandler): void {
    this.upgrades.set(path, handler);
  }

  get boundPort(): number {
    return this.port;
  }

  /**
   * While `refuse` holds, the path to the event socket is broken: an `/ari/events` upgrade
   * is cut before any answer (the client sees a reset, as through a failed proxy or
   * firewall), while REST and the calls carry on.
   */
  refuseEventSockets(refuse: boolean): void {
    this.eventSocketsRefused = refuse;
  }

  /** Drops every event WebSocket without a close frame: clients see code 1006. */
  dropWebSockets(): void {
    for (const c of this.hub.allConnections()) c.ws.terminate();
  }

  /** Stops accepting connections and cuts the open ones, after the last events are out. */
  async stop(): Promise<void> {
    // Asterisk's last words (the shutdown hangups) reach the client before the socket dies.
    const deadline = Date.now() + 200;
    while (this.hub.allConnections().some((c) => c.ws.bufferedAmount > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 10));
    this.dropWebSockets();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body?: unknown, raw?: Buffer, type = 'application/json') => {
      if (status === 204) {
        res.writeHead(204).end();
        return;
      }
      const payload = raw ?? Buffer.from(JSON.stringify(body ?? null));
      res.writeHead(status, { 'content-type': type, 'content-length': payload.length }).end(payload);
    };
    if (!isAuthorised(req, url.searchParams, this.world.opts.username, this.world.opts.password)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="Asterisk REST Interface"' }).end(AUTH_REQUIRED);
      return;
    }
    let body: unknown;
    try {
      body = await readBody(req);
    } catch {
      send(400, { message: 'Invalid request body' });
      return;
    }
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/ari/api-docs/')) {
      const doc = apiDoc(url.pathname.slice('/ari/api-docs/'.length), req.headers.host ?? `127.0.0.1:${this.port}`);
      send(doc ? 200 : 404, doc ?? { message: 'Resource not found' });
      return;
    }
    if (url.pathname.startsWith('/ari/')) {
      const reply = dispatch(this.world, method, url.pathname.slice(4), url.searchParams, body);
      this.requests.record(method, url.pathname.slice(4), url.searchParams, reply.status);
      send(reply.status, reply.body, reply.raw, reply.contentType);
      return;
    }
    if (url.pathname.startsWith('/sim/')) {
      const reply = await this.control(method, url.pathname.slice(4), body);
      send(reply.status, reply.body);
      return;
    }
    send(404, { message: 'Resource not found' });
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    const other = this.upgrades.get(url.pathname);
    if (other) return other(req, socket, head);
    if (url.pathname !== '/ari/events') return refuse(404, JSON.stringify({ message: 'Resource not found' }));
    if (this.eventSocketsRefused) return void socket.destroy();
    if (!isAuthorised(req, url.searchParams, this.world.opts.username, this.world.opts.password)) return refuse(401, AUTH_REQUIRED);
    const apps = (url.searchParams.get('app') ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
    if (apps.length === 0 || apps.some((a) => !/^[\w.-]{1,80}$/.test(a))) {
      return refuse(400, JSON.stringify({ message: "Invalid application provided in param 'app'." }));
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = { ws, apps: new Set(apps) };
      this.hub.add(conn);
      ws.on('close', () => this.hub.remove(conn));
      ws.on('error', () => this.hub.remove(conn));
      this.world.opts.log(`events websocket open for ${apps.join(',')}`);
    });
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  return JSON.parse(text) as unknown;
}
