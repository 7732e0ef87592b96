/**
 * The simulator's SIP side for browser softphones: a registrar and user agent over
 * WebSocket (`/ws`), with a WebRTC media peer per call. See sim/README.md, "Softphones".
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { checkSipSecret } from '../../src/acd/sip-credentials.js';
import { hangupChannel, NORMAL_CLEARING } from '../model/channels.js';
import type { World } from '../model/world.js';
import { passwordOf } from './credentials.js';
import { DigestAuth } from './digest.js';
import { cseq, header, newTag, response, type SipMessage } from './message.js';
import { Registrar } from './registrar.js';
import { SipTransport, type SipConnection } from './transport.js';
import type { ChannelSnapshot, PlaceCallOptions } from '../control.js';
import type { RingingControls, SimChannel, SoftphoneDialer } from '../model/types.js';
import { WEB_CALLER_DESTINATIONS, WEB_CALLER_ENDPOINT } from './credentials.js';
import type { Dialog } from './dialog.js';
import { InboundCall } from './inbound-call.js';
import { MediaPeer, type MediaCounts } from './media-peer.js';
import { OutboundCall } from './outbound-call.js';
import { uriUser } from './message.js';

export type { MediaCounts };

/** How many finished calls' media counts are kept for tests to read. */
const MEDIA_HISTORY = 500;

export { WEB_CALLER_ENDPOINT, EXAMPLE_SIP_SECRET } from './credentials.js';

const ALLOW = 'OPTIONS, REGISTER, INVITE, ACK, BYE, CANCEL, INFO';

export class SipServer implements SoftphoneDialer {
  private readonly transport: SipTransport;
  private readonly dialogs = new Map<string, Dialog>();
  /** Media counts by channel id, the latest MEDIA_HISTORY calls, live or ended. */
  private readonly media = new Map<string, MediaCounts>();
  /** Places a browser's call into the app (the control API's placeCall), set once it exists. */
  placeCall?: (o: PlaceCallOptions) => ChannelSnapshot;
  private readonly digest = new DigestAuth();
  readonly registrar: Registrar;

  constructor(private readonly world: World, private readonly secret: string) {
    // A short secret is refused at start, not at the first REGISTER.
    checkSipSecret(secret, { allowExample: true });
    this.registrar = new Registrar(world);
    this.transport = new SipTransport((c, m) => this.onMessage(c, m), (c) => this.onClose(c), world.opts.log);
    world.softphones = this;
  }

  reaches(endpoint: string): boolean {
    return this.registrar.contactOf(endpoint) !== undefined;
  }

  dial(ch: SimChannel, controls: RingingControls): void {
    const contact = ch.endpoint === undefined ? undefined : this.registrar.contactOf(ch.endpoint);
    if (!contact) return;
    const call = new OutboundCall(this.world, ch, controls, contact, this.newPeer(ch.id), (d) => this.forget(d));
    this.dialogs.set(call.callId, call);
    call.start().catch((err: unknown) => {
      this.world.opts.log(`sip: INVITE to ${contact.endpoint} failed: ${String(err)}`);
      call.close();
    });
  }

  /** RTP sent and received on the channel's call with a softphone; undefined if it had none. */
  mediaOf(channelId: string): (MediaCounts & Record<string, unknown>) | undefined {
    const counts = this.media.get(channelId);
    return counts ? { ...counts } : undefined;
  }

  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.transport.upgrade(req, socket, head);
  }

  password(name: string): string | undefined {
    return passwordOf(this.world.opts.endpoints, this.secret, name);
  }

  close(): void {
    for (const d of [...this.dialogs.values()]) d.close();
    this.transport.close();
    this.registrar.close();
    if (this.world.softphones === this) this.world.softphones = undefined;
  }

  private newPeer(channelId: string): MediaPeer {
    const peer = new MediaPeer();
    this.media.set(channelId, peer.counts);
    if (this.media.size > MEDIA_HISTORY) this.media.delete(this.media.keys().next().value!);
    return peer;
  }

  private forget(d: Dialog): void {
    if (this.dialogs.get(d.callId) === d) this.dialogs.delete(d.callId);
  }

  private async invite(conn: SipConnection, req: SipMessage): Promise<void> {
    const user = this.authenticate(conn, req);
    if (!user) return;
    // A web caller authenticates; an agent must also be registered on this WebSocket.
    if (user !== WEB_CALLER_ENDPOINT && this.registrar.contactOf(user)?.conn !== conn) {
      conn.send(response(req, 403, 'Forbidden', [], '', newTag()));
      return;
    }
    const dialled = uriUser(req.uri ?? '');
    if (!WEB_CALLER_DESTINATIONS.has(dialled)) {
      conn.send(response(req, 404, 'Not Found', [], '', newTag()));
      return;
    }
    if (!this.placeCall || header(req, 'content-type').toLowerCase() !== 'application/sdp') {
      conn.send(response(req, this.placeCall ? 415 : 503, this.placeCall ? 'Unsupported Media Type' : 'Service Unavailable', [], '', newTag()));
      return;
    }
    const peer = new MediaPeer();
    const call = new InboundCall(this.world, conn, req, peer, (d) => this.forget(d));
    this.dialogs.set(call.callId, call);
    if (await call.start(user, dialled, this.placeCall) && call.ch) {
      this.media.set(call.ch.id, peer.counts);
      if (this.media.size > MEDIA_HISTORY) this.media.delete(this.media.keys().next().value!);
    }
  }

  private onMessage(conn: SipConnection, msg: SipMessage): void {
    const dialog = this.dialogs.get(header(msg, 'call-id'));
    if (dialog && dialog.conn === conn) {
      if (msg.method === undefined) dialog.onResponse(msg);
      else dialog.onRequest(msg);
      return;
    }
    if (msg.method === undefined) return;
    switch (msg.method) {
      case 'INVITE':
        this.invite(conn, msg).catch((err: unknown) => this.world.opts.log(`sip: INVITE failed: ${String(err)}`));
        return;
      case 'BYE':
      case 'CANCEL':
      case 'INFO':
        conn.send(response(msg, 481, 'Call/Transaction Does Not Exist'));
        return;
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
    // A browser gone mid-call: its channel hangs up as on a lost transport.
    for (const d of [...this.dialogs.values()]) {
      if (d.conn !== conn) continue;
      const ch = d.ch;
      d.close();
      if (ch && !ch.hangingUp) hangupChannel(this.world, ch, {}, NORMAL_CLEARING);
    }
  }
}
