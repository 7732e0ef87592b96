/**
 * SIP over WebSocket (RFC 7118) on the simulator's HTTP server, path `/ws` as Asterisk's
 * res_http_websocket serves it: the client must offer the `sip` subprotocol, each frame
 * carries one SIP message. Frames that do not parse are dropped.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, parseSip, type SipMessage } from './message.js';

export interface SipConnection {
  readonly id: string;
  /** The `<id>.invalid` host the simulator's own requests put in Via, as over any WS transport. */
  readonly viaHost: string;
  readonly remote: string;
  send(text: string): void;
  readonly open: boolean;
}

export class SipTransport {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => (offered.has('sip') ? 'sip' : false),
  });
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly onMessage: (conn: SipConnection, msg: SipMessage) => void,
    private readonly onClose: (conn: SipConnection) => void,
    private readonly log: (line: string) => void,
  ) {}

  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes('sip')) {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      const id = randomBytes(6).toString('hex');
      const conn: SipConnection = {
        id,
        viaHost: `${id}.invalid`,
        remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`,
        send: (text) => { if (ws.readyState === ws.OPEN) ws.send(text); },
        get open() { return ws.readyState === ws.OPEN; },
      };
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data);
        const msg = parseSip(text);
        if (msg) this.onMessage(conn, msg);
        else this.log(`sip: dropped a malformed message from ${conn.remote}`);
      });
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        this.sockets.delete(ws);
        this.onClose(conn);
      };
      ws.on('close', close);
      ws.on('error', close);
    });
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }
}
