/**
 * One call's media on the simulator's side: a werift WebRTC peer (ICE, DTLS-SRTP, rtcp-mux)
 * that offers or accepts G.711 only (PCMU, PCMA) plus telephone-event, the codecs stock
 * Asterisk translates, so a browser that prefers Opus still settles on one both sides
 * have. Once connected it sends a 440 Hz tone every 20 ms and counts what arrives:
 * audio packets (and of those, the audible ones), and RFC 4733 digits (reported once, at
 * their end). A hold re-offer (reoffer.ts) changes only the direction: while the far end
 * holds the call no tone is sent.
 */
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { meanAmplitude, toneFrames, FRAME_SAMPLES } from './g711.js';
import { answerDirection, directionOf, reanswer, sameTransport, type Direction } from './reoffer.js';

export interface MediaCounts {
  /** `ulaw` or `alaw` once negotiated. */
  codec?: string;
  state: string;
  rtpSent: number;
  rtpReceived: number;
  /** Received audio packets with sound in them (mean level over AUDIBLE_LEVEL): a muted browser sends silence. */
  audibleReceived: number;
  dtmfReceived: string;
  /** The direction the simulator's side has: `recvonly` or `inactive` while the far end holds the call. */
  direction: Direction;
  /** Hold re-offers accepted (unholds not counted). */
  holds: number;
}

/** A 16-bit linear mean level: the simulator's tone is about 5000, a browser's fake microphone beeps far above 100, silence is under 10. */
const AUDIBLE_LEVEL = 100;

const TELEPHONE_EVENT_PT = 101;
const DTMF_EVENTS = '0123456789*#ABCD';

const codecs = () => [
  new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
  new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
  new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: TELEPHONE_EVENT_PT }),
];

export class MediaPeer {
  readonly counts: MediaCounts = { state: 'new', rtpSent: 0, rtpReceived: 0, audibleReceived: 0, dtmfReceived: '', direction: 'sendrecv', holds: 0 };
  /** A digit ended (RFC 4733 end bit), with its duration. */
  onDigit?: (digit: string, durationMs: number) => void;
  private readonly pc: RTCPeerConnection;
  private readonly track = new MediaStreamTrack({ kind: 'audio' });
  private readonly transceiver: RTCRtpTransceiver;
  private timer?: NodeJS.Timeout;
  private remoteEventPt = TELEPHONE_EVENT_PT;
  private readonly digitsSeen = new Set<number>();
  private closed = false;
  /** The far end's description the call's transport came from, and the DTLS role we took. */
  private remoteSdp = '';
  private dtlsRole: 'active' | 'passive' = 'passive';
  private lastLocal = '';
  private version = 0;

  private readonly dtlsServerWhenAnswering: boolean;

  /**
   * `dtlsServerWhenAnswering: false` answers `a=setup:active` as browsers do (a test's
   * stand-in for a browser); the simulator answers `passive` (see answerOffer).
   */
  constructor(o: { sendTone?: boolean; dtlsServerWhenAnswering?: boolean } = {}) {
    this.dtlsServerWhenAnswering = o.dtlsServerWhenAnswering ?? true;
    this.pc = new RTCPeerConnection({
      codecs: { audio: codecs() },
      // werift asks a public STUN server by default; the simulator's peers are local.
      iceServers: [],
      iceUseIpv6: false,
      // Loopback too, for a browser on the same machine with no other route.
      iceAdditionalHostAddresses: ['127.0.0.1'],
    });
    this.transceiver = this.pc.addTransceiver(this.track, { direction: 'sendrecv' });
    this.transceiver.onTrack.subscribe((remote) => {
      remote.onReceiveRtp.subscribe((rtp) => this.received(rtp));
    });
    this.pc.connectionStateChange.subscribe((state) => {
      this.counts.state = state;
      if (state === 'connected' && o.sendTone !== false) this.startSending();
      if (state === 'failed' || state === 'closed') this.stopSending();
    });
  }

  /** An SDP offer with every candidate gathered (SIP carries no trickle ICE). */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.localSdp();
  }

  async acceptAnswer(sdp: string): Promise<void> {
    this.noteRemote(sdp);
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    this.dtlsRole = /^a=setup:passive/m.test(sdp) ? 'active' : 'passive';
  }

  /** The answer to a browser's offer; null when it offers neither PCMU nor PCMA (488). */
  async answerOffer(sdp: string): Promise<string | null> {
    if (!/^m=audio .*RTP\/S?AVPF? .*$/m.test(sdp) || !/^a=rtpmap:\d+ PCM[UA]\/8000/im.test(sdp)) return null;
    this.noteRemote(sdp);
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    const answer = await this.pc.createAnswer();
    // The answerer takes the DTLS server role (RFC 5763 lets it choose): werift as a DTLS
    // client fails the handshake when a slow server answers its retransmitted ClientHello
    // twice, and the ICE-controlled answerer is ready first, so the far end's hello finds it.
    const sdpAnswer = this.dtlsServerWhenAnswering ? answer.sdp.replace(/^a=setup:active$/gm, 'a=setup:passive') : answer.sdp;
    await this.pc.setLocalDescription({ type: 'answer', sdp: sdpAnswer });
    this.dtlsRole = /^a=setup:passive/m.test(sdpAnswer) ? 'passive' : 'active';
    return this.localSdp();
  }

  /**
   * The answer to a re-offer on the established call (hold, unhold), or null when it asks for
   * more than a direction change (488). The transport is untouched: the same ICE and DTLS.
   */
  reoffer(sdp: string): { answer: string; held: boolean } | null {
    if (!this.remoteSdp || !this.lastLocal || !sameTransport(this.remoteSdp, sdp)) return null;
    if (!/^m=audio .*RTP\/S?AVPF? /m.test(sdp)) return null;
    const direction = answerDirection(directionOf(sdp));
    const held = direction === 'recvonly' || direction === 'inactive';
    if (held && !this.held) this.counts.holds += 1;
    this.counts.direction = direction;
    this.version += 1;
    this.lastLocal = reanswer(this.lastLocal, direction, this.dtlsRole, this.version);
    return { answer: this.lastLocal, held };
  }

  /** The far end holds the call: it takes no audio from us. */
  get held(): boolean {
    return this.counts.direction === 'recvonly' || this.counts.direction === 'inactive';
  }

  /** The negotiated G.711 law, known once both descriptions are set. */
  get codec(): 'ulaw' | 'alaw' | undefined {
    const mime = this.transceiver.sender.codec?.mimeType.toLowerCase();
    return mime === 'audio/pcmu' ? 'ulaw' : mime === 'audio/pcma' ? 'alaw' : undefined;
  }

  /** Sends one RFC 4733 digit (start, then the end packet three times, as browsers do). */
  async sendDigit(digit: string, durationMs = 160): Promise<void> {
    const event = DTMF_EVENTS.indexOf(digit);
    if (event < 0) throw new Error(`not a DTMF digit: ${digit}`);
    const dtls = this.transceiver.sender.dtlsTransport;
    const timestamp = Math.floor(Math.random() * 2 ** 31);
    const ssrc = this.transceiver.sender.ssrc;
    let seq = Math.floor(Math.random() * 60_000);
    const packet = async (end: boolean, duration: number, marker: boolean) => {
      const payload = Buffer.from([event, end ? 0x80 | 10 : 10, (duration >> 8) & 0xff, duration & 0xff]);
      const header = new RtpHeader({ payloadType: this.remoteEventPt, sequenceNumber: seq++ & 0xffff, timestamp, ssrc, marker });
      await dtls.sendRtp(payload, header);
    };
    const duration = durationMs * 8;
    await packet(false, 0, true);
    for (let i = 0; i < 3; i++) await packet(true, duration, false);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopSending();
    void this.pc.close().catch(() => undefined);
  }

  private async localSdp(): Promise<string> {
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => {
        const sub = this.pc.iceGatheringStateChange.subscribe((s) => {
          if (s === 'complete') { sub.unSubscribe(); resolve(); }
        });
      });
    }
    this.lastLocal = this.pc.localDescription?.sdp ?? '';
    this.version = Number(/^o=\S+ \S+ (\d+)/m.exec(this.lastLocal)?.[1] ?? 0);
    return this.lastLocal;
  }

  private noteRemote(sdp: string): void {
    this.remoteSdp = sdp;
    const m = /^a=rtpmap:(\d{1,3}) telephone-event\/8000/im.exec(sdp);
    if (m) this.remoteEventPt = Number(m[1]);
  }

  private received(rtp: RtpPacket): void {
    const pt = rtp.header.payloadType;
    if (pt === this.remoteEventPt || pt === TELEPHONE_EVENT_PT) {
      const [event = 255, flags = 0, hi = 0, lo = 0] = rtp.payload;
      // The end packet is sent three times: one digit per RTP timestamp.
      if ((flags & 0x80) === 0 || this.digitsSeen.has(rtp.header.timestamp) || event >= DTMF_EVENTS.length) return;
      this.digitsSeen.add(rtp.header.timestamp);
      const digit = DTMF_EVENTS[event]!;
      this.counts.dtmfReceived += digit;
      this.onDigit?.(digit, Math.round(((hi << 8) | lo) / 8));
      return;
    }
    this.counts.rtpReceived += 1;
    const codec = this.codec;
    if (codec && meanAmplitude(rtp.payload, codec) > AUDIBLE_LEVEL) this.counts.audibleReceived += 1;
  }

  private startSending(): void {
    if (this.timer || this.closed) return;
    const codec = this.codec ?? 'ulaw';
    this.counts.codec = codec;
    const frames = toneFrames(codec);
    let seq = Math.floor(Math.random() * 60_000);
    let timestamp = Math.floor(Math.random() * 2 ** 31);
    let n = 0;
    this.timer = setInterval(() => {
      // Held: the clock runs on (the timestamps after the hold say how long it was), nothing is sent.
      if (this.held) {
        timestamp = (timestamp + FRAME_SAMPLES) >>> 0;
        n += 1;
        return;
      }
      const header = new RtpHeader({ sequenceNumber: seq, timestamp, marker: n === 0 });
      this.track.writeRtp(new RtpPacket(header, frames[n % frames.length]!));
      this.counts.rtpSent += 1;
      seq = (seq + 1) & 0xffff;
      timestamp = (timestamp + FRAME_SAMPLES) >>> 0;
      n += 1;
    }, 20);
    this.timer.unref();
  }

  private stopSending(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
