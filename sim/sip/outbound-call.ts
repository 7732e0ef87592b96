/**
 * An originate to a softphone registered over WebSocket: a real INVITE with the media
 * peer's G.711 offer. The answers drive the channel as they would in Asterisk: 180/183 →
 * Ringing, 200 → Up and the app (after ACK and the SDP answer), 486/603/480/503 → their
 * causes (s12), any other refusal → 480's. The channel hanging up first sends CANCEL
 * before an answer (the originate timeout: cause 19) and BYE after it.
 */
import { randomBytes } from 'node:crypto';
import type { RingingControls, SimChannel } from '../model/types.js';
import type { World } from '../model/world.js';
import { Dialog } from './dialog.js';
import { addrUri, cseq, header, newBranch, newTag, request, type SipMessage } from './message.js';
import type { MediaPeer } from './media-peer.js';
import type { LiveContact } from './registrar.js';

const REJECTIONS: Record<number, 486 | 603 | 480 | 503> = { 486: 486, 600: 486, 603: 603, 480: 480, 503: 503, 500: 503 };

export class OutboundCall extends Dialog {
  private readonly branch = newBranch();
  private readonly from: string;
  private readonly to: string;
  private readonly contactUri: string;
  private inviteSent = false;
  private final = false;

  constructor(
    world: World, channel: SimChannel, private readonly controls: RingingControls, contact: LiveContact, peer: MediaPeer,
    onDone: (d: Dialog) => void,
  ) {
    super(world, contact.conn, randomBytes(12).toString('hex'), peer, onDone);
    this.ch = channel;
    this.contactUri = contact.uri;
    const name = channel.caller.name.replace(/["\\\r\n]/g, '');
    const user = /^[\w+*#.-]{1,64}$/.test(channel.caller.number) ? channel.caller.number : 'asterisk';
    this.from = `"${name}" <sip:${user}@${contact.conn.viaHost}>;tag=${newTag()}`;
    this.to = `<sip:${contact.endpoint}@${contact.conn.viaHost}>`;
    channel.onHangup = () => this.hangup();
  }

  async start(): Promise<void> {
    const sdp = await this.peer.offer();
    if (this.ended) return;
    this.inviteSent = true;
    this.conn.send(request('INVITE', this.contactUri, [
      ...this.base(1, 'INVITE'),
      ['Contact', `<sip:asterisk@${this.conn.viaHost};transport=ws>`],
      ['Allow', 'OPTIONS, INVITE, ACK, BYE, CANCEL, INFO'],
      ['Content-Type', 'application/sdp'],
    ], sdp));
  }

  override onResponse(res: SipMessage): void {
    const { method } = cseq(res);
    if (method !== 'INVITE') return;
    const status = res.status ?? 0;
    if (status < 200) {
      if (status === 180 || status === 183) this.controls.ring();
      return;
    }
    if (this.final) return;
    this.final = true;
    if (status < 300) void this.answered(res);
    else {
      this.ack(this.contactUri, header(res, 'to'), this.branch);
      // 487 answers our CANCEL: the channel is already gone.
      if (status !== 487) this.controls.reject(REJECTIONS[status] ?? 480);
      this.finish();
    }
  }

  private async answered(res: SipMessage): Promise<void> {
    const target = addrUri(header(res, 'contact')) || this.contactUri;
    this.route = { target, from: this.from, to: header(res, 'to') };
    this.ack(target, this.route.to, newBranch());
    if (this.ended || !this.ch || this.ch.hangingUp) {
      // Answered while we were cancelling: the call is taken down at once.
      this.bye();
      this.finish();
      return;
    }
    try {
      await this.peer.acceptAnswer(res.body);
    } catch {
      this.world.opts.log('sip: unusable SDP answer, hanging up');
      this.bye();
      this.finish();
      this.controls.reject(503);
      return;
    }
    if (this.ended) return;
    const codec = this.peer.codec;
    if (codec && this.ch) this.ch.format = codec;
    this.controls.answer();
  }

  private hangup(): void {
    if (this.ended) return;
    if (this.route) {
      this.bye();
      this.finish();
      return;
    }
    if (this.inviteSent && !this.final) {
      this.conn.send(request('CANCEL', this.contactUri, this.base(1, 'CANCEL')));
      // The 487 that follows is acknowledged in onResponse, so the dialog stays until then.
      this.ended = true;
      this.peer.close();
      return;
    }
    this.finish();
  }

  private base(seq: number, method: string): Array<[string, string]> {
    return [
      ['Via', `SIP/2.0/WS ${this.conn.viaHost};branch=${this.branch};rport`],
      ['From', this.from], ['To', this.to], ['Call-ID', this.callId], ['CSeq', `${seq} ${method}`],
    ];
  }

  private ack(target: string, to: string, branch: string): void {
    this.conn.send(request('ACK', target, [
      ['Via', `SIP/2.0/WS ${this.conn.viaHost};branch=${branch};rport`],
      ['From', this.from], ['To', to], ['Call-ID', this.callId], ['CSeq', '1 ACK'],
    ]));
  }
}
