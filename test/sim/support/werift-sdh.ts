/**
 * SIP.js's media side for a softphone in Node: instead of the browser's RTCPeerConnection,
 * a werift peer (the simulator's MediaPeer class: G.711, a 440 Hz tone once connected,
 * RTP counted). Offers when SIP.js calls, answers when it is called.
 */
import type { BodyAndContentType, SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';
import { MediaPeer } from '../../../sim/sip/media-peer.js';

export class WeriftSdh implements SessionDescriptionHandler {
  // Answers `a=setup:active`, as Chrome does.
  readonly peer = new MediaPeer({ dtlsServerWhenAnswering: false });
  private remoteOffer?: string;
  private offered = false;

  async getDescription(): Promise<BodyAndContentType> {
    if (this.remoteOffer !== undefined) {
      const answer = await this.peer.answerOffer(this.remoteOffer);
      this.remoteOffer = undefined;
      if (answer === null) throw new Error('no codec in common');
      return { body: answer, contentType: 'application/sdp' };
    }
    this.offered = true;
    return { body: await this.peer.offer(), contentType: 'application/sdp' };
  }

  async setDescription(sdp: string): Promise<void> {
    if (this.offered) {
      this.offered = false;
      await this.peer.acceptAnswer(sdp);
    } else this.remoteOffer = sdp;
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  /** RFC 4733: the first digit, as telephone-event packets. */
  sendDtmf(tones: string): boolean {
    void this.peer.sendDigit(tones[0] ?? '');
    return true;
  }

  close(): void {
    this.peer.close();
  }
}

/** A factory that keeps every handler it made, so a test can read and close their peers. */
export function weriftSdhFactory(made: WeriftSdh[]): SessionDescriptionHandlerFactory {
  return () => {
    const sdh = new WeriftSdh();
    made.push(sdh);
    return sdh;
  };
}
