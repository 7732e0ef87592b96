/**
 * What the floor apps do with a call, whatever carries their requests: answer, play the
 * prompts the service plays before its menu and the menu itself, on a key play the
 * service's "transferring to an agent" prompt, then hang up. No Redis, no logs, no state
 * beyond a channel's place in that list: the least an ARI app can do for the same call.
 */

/** The prompts the service's main line plays, in order, before the caller presses a key. */
export const FLOOR_PROMPTS = ['hotline/zh/welcome-12345', 'hotline/zh/call-recorded', 'hotline/zh/emergency-notice', 'hotline/zh/main-menu'];
export const FLOOR_AFTER_KEY = 'hotline/zh/transferring-to-agent';

export interface FloorOps {
  answer(channelId: string): PromiseLike<unknown>;
  play(channelId: string, media: string, playbackId: string): PromiseLike<unknown>;
  stop(playbackId: string): PromiseLike<unknown>;
  hangup(channelId: string): PromiseLike<unknown>;
}

/** The fields of an ARI event the script reads (ari-client's event objects have them too). */
export interface FloorEvent {
  type: string;
  channel?: { id: string };
  playback?: { id: string; target_uri: string };
}

interface CallState {
  /** Index in FLOOR_PROMPTS now playing (its length once the menu ended). */
  step: number;
  keyed: boolean;
  playbackId: string;
}

export class FloorScript {
  private readonly calls = new Map<string, CallState>();
  private next = 0;

  constructor(private readonly ops: FloorOps) {}

  handle(event: FloorEvent): void {
    switch (event.type) {
      case 'StasisStart':
        if (event.channel) void this.start(event.channel.id);
        break;
      case 'ChannelDtmfReceived':
        if (event.channel) void this.key(event.channel.id);
        break;
      case 'PlaybackFinished': {
        const target = event.playback?.target_uri ?? '';
        if (target.startsWith('channel:')) void this.finished(target.slice('channel:'.length), event.playback!.id);
        break;
      }
      case 'StasisEnd':
        if (event.channel) this.calls.delete(event.channel.id);
        break;
      default:
        break;
    }
  }

  private async start(channelId: string): Promise<void> {
    const call: CallState = { step: 0, keyed: false, playbackId: '' };
    this.calls.set(channelId, call);
    await this.ignoreGone(this.ops.answer(channelId));
    await this.play(channelId, call, FLOOR_PROMPTS[0]!);
  }

  private async key(channelId: string): Promise<void> {
    const call = this.calls.get(channelId);
    if (!call || call.keyed) return;
    call.keyed = true;
    const menu = call.playbackId;
    // The stopped menu's PlaybackFinished must not count as the next prompt's.
    call.playbackId = '';
    if (call.step < FLOOR_PROMPTS.length) await this.ignoreGone(this.ops.stop(menu));
    await this.play(channelId, call, FLOOR_AFTER_KEY);
  }

  private async finished(channelId: string, playbackId: string): Promise<void> {
    const call = this.calls.get(channelId);
    if (!call || call.playbackId !== playbackId) return;
    if (call.keyed) {
      this.calls.delete(channelId);
      await this.ignoreGone(this.ops.hangup(channelId));
      return;
    }
    call.step += 1;
    // After the menu the app waits for the caller's key.
    if (call.step === FLOOR_PROMPTS.length) return;
    await this.play(channelId, call, FLOOR_PROMPTS[call.step]!);
  }

  private async play(channelId: string, call: CallState, sound: string): Promise<void> {
    call.playbackId = `floor-${++this.next}`;
    await this.ignoreGone(this.ops.play(channelId, `sound:${sound}`, call.playbackId));
  }

  /** The caller may hang up at any moment: a 404 on their channel is no failure. */
  private async ignoreGone(request: PromiseLike<unknown>): Promise<void> {
    try {
      await request;
    } catch {
      // Gone: the call ended between the event and the request.
    }
  }
}
