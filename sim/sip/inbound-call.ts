/**
 * A call from a browser to 12345: the INVITE (authenticated, from the web callers'
 * endpoint or a registered agent) becomes a channel that enters the app as a citizen's
 * call does (`placeCall`, with the endpoint's caller id and the context the endpoint is
 * in). 100 Trying at once; 200 OK with the media peer's answer when the app answers the
 * channel. CANCEL before that, or BYE after, hangs the channel up; the channel hung up
 * from our side answers 480 before an answer and sends BYE after.
 */
import type { ChannelSnapshot, PlaceCallOptions } from '../control.js';
import type { World } from '../model/world.js';
import { Dialog } from './dialog.js';
import { hangupChannel, NORMAL_CLEARING } from '../model/channels.js';
import { addrUri, header, newTag, response, type SipMessage } from './message.js';
import type { MediaPeer } from './media-peer.js';
import type { SipConnection } from './transport.js';

export class InboundCall extends Dialog {
  private readonly toTag = newTag();
  private answered = false;

  constructor(
    world: World, conn: SipConnection, private readonly invite: SipMessage, peer: MediaPeer, onDone: (d: Dialog) => void,
  ) {
    super(world, conn, header(invite, 'call-id'), peer, onDone);
  }

  /** Sets the call up; false when it was refused (a final answer already went back). */
  async start(endpoint: string, dialled: string, placeCall: (o: PlaceCallOptions) => ChannelSnapshot): Promise<boolean> {
    const inv = this.invite;
    this.conn.send(response(inv, 100, 'Trying'));
    const config = this.world.opts.endpoints.get(endpoint);
    let answer: string | null = null;
    try {
      answer = await this.peer.answerOffer(inv.body);
    } catch {
      answer = null;
    }
    if (this.ended) return false;
    if (!answer || !config) {
      this.refuse(488, 'Not Acceptable Here');
      return false;
    }
    let snapshot: ChannelSnapshot;
    try {
      snapshot = placeCall({
        from: config.callerId.number, fromName: config.callerId.name, dialled, endpoint, context: config.context,
        codecs: [this.peer.codec ?? 'ulaw'],
      });
    } catch {
      this.refuse(503, 'Service Unavailable');
      return false;
    }
    const ch = this.world.findChannel(snapshot.id);
    if (!ch) {
      this.refuse(503, 'Service Unavailable');
      return false;
    }
    this.ch = ch;
    ch.endpoint = endpoint;
    ch.onAnswered = () => this.answer(answer!);
    ch.onHangup = () => this.hangup();
    return true;
  }

  override onRequest(req: SipMessage): void {
    if (req.method === 'CANCEL') {
      this.conn.send(response(req, 200, 'OK'));
      if (this.answered) return;
      this.refuse(487, 'Request Terminated');
      if (this.ch && !this.ch.hangingUp) hangupChannel(this.world, this.ch, {}, NORMAL_CLEARING);
      return;
    }
    if (req.method === 'INVITE' && header(req, 'cseq') === header(this.invite, 'cseq')) return; // a retransmission
    super.onRequest(req);
  }

  private answer(sdp: string): void {
    if (this.ended || this.answered) return;
    this.answered = true;
    const inv = this.invite;
    this.route = {
      target: addrUri(header(inv, 'contact')) || (inv.uri ?? ''),
      from: `${header(inv, 'to')};tag=${this.toTag}`,
      to: header(inv, 'from'),
    };
    this.conn.send(response(inv, 200, 'OK', [
      ['Contact', `<sip:asterisk@${this.conn.viaHost};transport=ws>`],
      ['Allow', 'OPTIONS, INVITE, ACK, BYE, CANCEL, INFO'],
      ['Content-Type', 'application/sdp'],
    ], sdp, this.toTag));
  }

  private hangup(): void {
    if (this.ended) return;
    if (this.answered) this.bye();
    else this.conn.send(response(this.invite, 480, 'Temporarily Unavailable', [], '', this.toTag));
    this.finish();
  }

  private refuse(status: number, reason: string): void {
    this.conn.send(response(this.invite, status, reason, [], '', this.toTag));
    this.finish();
  }
}
