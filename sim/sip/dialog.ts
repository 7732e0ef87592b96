/**
 * What both directions of a softphone call share once a channel exists: the in-dialog
 * requests from the browser (BYE hangs the channel up as a SIP BYE does: ChannelHangupRequest
 * without a cause, then cause 16; INFO `application/dtmf-relay` is a digit), the BYE the
 * simulator sends when the channel is hung up from its side, a re-INVITE that holds or
 * unholds the call (reoffer.ts), and the call's media peer.
 */
import { hangupChannel, NORMAL_CLEARING } from '../model/channels.js';
import { receiveDigit } from '../model/dtmf.js';
import type { SimChannel } from '../model/types.js';
import type { World } from '../model/world.js';
import { header, newBranch, request, response, type SipMessage } from './message.js';
import type { MediaPeer } from './media-peer.js';
import type { SipConnection } from './transport.js';

const INFO_DIGIT = /^\s*Signal\s*=\s*([0-9A-D*#])\s*$/im;
const INFO_DURATION = /^\s*Duration\s*=\s*(\d{1,5})\s*$/im;
/** Asterisk's default for an INFO digit that says no duration. */
const DEFAULT_INFO_MS = 250;
/** res_pjsip's `moh_suggest` default: the class a hold suggests to the other side. */
const MOH_SUGGEST = 'default';

export abstract class Dialog {
  ch?: SimChannel;
  /** Our own in-dialog requests' CSeq. */
  protected seq = 1;
  protected ended = false;
  /** The far end holds the call (its last offer was sendonly or inactive). */
  private held = false;
  private forgotten = false;
  /** Set when the dialog is established: the headers our in-dialog requests carry. */
  protected route?: { target: string; from: string; to: string };

  constructor(
    protected readonly world: World, readonly conn: SipConnection, readonly callId: string, readonly peer: MediaPeer,
    private readonly onDone: (d: Dialog) => void,
  ) {
    peer.onDigit = (digit, ms) => this.digit(digit, ms);
  }

  /** A request inside this dialog (same Call-ID), other than what the subclass handles. */
  onRequest(req: SipMessage): void {
    switch (req.method) {
      case 'ACK':
        return;
      case 'BYE':
        this.conn.send(response(req, 200, 'OK'));
        this.finish();
        if (this.ch && !this.ch.hangingUp) hangupChannel(this.world, this.ch, {}, NORMAL_CLEARING);
        return;
      case 'INFO': {
        const type = header(req, 'content-type').toLowerCase();
        const digit = INFO_DIGIT.exec(req.body)?.[1];
        if (!type.startsWith('application/dtmf-relay') || !digit) {
          this.conn.send(response(req, 415, 'Unsupported Media Type', [['Accept', 'application/dtmf-relay']]));
          return;
        }
        this.conn.send(response(req, 200, 'OK'));
        this.digit(digit, Number(INFO_DURATION.exec(req.body)?.[1] ?? DEFAULT_INFO_MS));
        return;
      }
      case 'INVITE':
        this.reinvite(req);
        return;
      default:
        this.conn.send(response(req, 405, 'Method Not Allowed'));
    }
  }

  onResponse(_res: SipMessage): void {}

  /**
   * A re-INVITE on the established call: a hold or unhold offer is answered with the same
   * transport and the answering direction, and the channel raises ChannelHold (with the
   * endpoint's suggested music class, res_pjsip's `moh_suggest`, `default` unless set) or
   * ChannelUnhold as Asterisk queues AST_CONTROL_HOLD/UNHOLD for a remotely held stream.
   * Anything else (no offer, an ICE restart) is answered 488 and changes nothing.
   */
  private reinvite(req: SipMessage): void {
    const reoffer = this.route && !this.ended && header(req, 'content-type').toLowerCase() === 'application/sdp' ? this.peer.reoffer(req.body) : null;
    if (!reoffer) {
      this.conn.send(response(req, 488, 'Not Acceptable Here'));
      return;
    }
    const wasHeld = this.held;
    this.held = reoffer.held;
    this.conn.send(response(req, 200, 'OK', [
      ['Contact', `<sip:asterisk@${this.conn.viaHost};transport=ws>`],
      ['Allow', 'OPTIONS, INVITE, ACK, BYE, CANCEL, INFO'],
      ['Content-Type', 'application/sdp'],
    ], reoffer.answer));
    const ch = this.ch;
    if (!ch || ch.hangingUp || wasHeld === reoffer.held) return;
    if (reoffer.held) this.world.emitChannel(ch, 'ChannelHold', { musicclass: MOH_SUGGEST });
    else this.world.emitChannel(ch, 'ChannelUnhold');
  }

  /** Ends the dialog from our side: BYE when established. */
  protected bye(): void {
    if (!this.route) return;
    this.conn.send(request('BYE', this.route.target, [
      ['Via', `SIP/2.0/WS ${this.conn.viaHost};branch=${newBranch()};rport`],
      ['From', this.route.from], ['To', this.route.to], ['Call-ID', this.callId], ['CSeq', `${++this.seq} BYE`],
    ]));
  }

  /** The media stops and the dialog is forgotten. */
  protected finish(): void {
    this.ended = true;
    this.peer.close();
    if (this.forgotten) return;
    this.forgotten = true;
    this.onDone(this);
  }

  private digit(digit: string, durationMs: number): void {
    if (this.ch && !this.ch.hangingUp && this.ch.state === 'Up') receiveDigit(this.world, this.ch, digit, durationMs);
  }

  close(): void {
    this.finish();
  }
}
