/**
 * The simulator's SIP side for browser softphones: a registrar and user agent over
 * WebSocket (`/ws`), with a WebRTC media peer per call. See sim/README.md, "Softphones".
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { checkSipSecret } from '../../src/acd/sip-credentials.js';
import type { World } from '../model/world.js';
import { passwordOf } from './credentials.js';
import { DigestAuth } from './digest.js';
import { cseq, header, newTag, response, type SipMessage } from './message.js';
import { Registrar } from './registrar.js';
import { SipTransport, type SipConnection } from './transport.js';

export { WEB_CALLER_ENDPOINT, EXAMPLE_SIP_SECRET } from './credentials.js';

const ALLOW = 'OPTIONS, REGISTER, INVITE, ACK, BYE, CANCEL, INFO';

export class SipServer {
  private readonly transport: SipTransport;
  private readonly digest = new DigestAuth();
  readonly registrar: Registrar;

  constructor(private readonly world: World, private readonly secret: string) {
    // A short secret is refused at start, not at the first REGISTER.
    checkSipSecret(secret, { allowExample: true });
    this.registrar = new Registrar(world);
    this.transport = new SipTransport((c, m) => this.onMessage(c, m), (c) => this.onClose(c), world.opts.log);
  }

  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.transport.upgrade(req, socket, head);
  }

  password(name: string): string | undefined {
    return passwordOf(this.world.opts.endpoints, this.secret, name);
  }

  close(): void {
    this.transport.close();
    this.registrar.close();
  }

  private onMessage(conn: SipConnection, msg: SipMessage): void {
    if (msg.method === undefined) return;
    switch (msg.method) {
      case 'REGISTER': {
        const user = this.authenticate(conn, msg);
        if (user) this.registrar.handle(conn, msg, user);
        return;
      }
      case 'OPTIONS':
        conn.send(response(msg, 200, 'OK', [['Allow', ALLOW], ['Accept', 'application/sdp']]));
        return;
      case 'ACK':
        return;
      default:
        conn.send(response(msg, 501, 'Not Implemented', [['Allow', ALLOW]]));
    }
  }

  /** The endpoint the request authenticates as; otherwise a challenge (or a new one) went back. */
  authenticate(conn: SipConnection, req: SipMessage): string | null {
    const given = header(req, 'authorization');
    if (given !== '') {
      const result = this.digest.verify(req.method ?? cseq(req).method, given, (u) => this.password(u));
      if (result && result !== 'stale') return result.user;
      // A wrong password gets a fresh challenge, as res_pjsip answers (clients give up after one retry).
      if (result === null) this.world.opts.log(`sip: failed authentication from ${conn.remote}`);
      conn.send(response(req, 401, 'Unauthorized', [['WWW-Authenticate', this.digest.challenge(result === 'stale')]], '', newTag()));
      return null;
    }
    conn.send(response(req, 401, 'Unauthorized', [['WWW-Authenticate', this.digest.challenge()]], '', newTag()));
    return null;
  }

  private onClose(conn: SipConnection): void {
    this.registrar.dropConnection(conn);
  }
}
