/**
 * The service's own channels (agents' and emergency legs, snoops, callback legs) the registry
 * has heard of, and what each missed while the event socket was down: Asterisk replays
 * nothing, so after a reconnect the one event that tells a channel's owner where it went is
 * worked out from Asterisk's channel list (see `missedEvents`).
 *
 *   heard of (a watcher's event, or StasisStart) ──► known ──StasisEnd / ChannelDestroyed──► forgotten
 *                                                      │ after a reconnect, gone from the channel list:
 *     had entered the app                             ├─► StasisEnd (it left the app)
 *     had not (a phone still ringing)                 └─► ChannelDestroyed, cause 0 "Unknown" (the cause went unheard)
 *
 * Nothing enters the app unheard: while the socket is down the app is gone (s17), so an agent
 * answering meanwhile finds Stasis() failing and the leg hung up — a rung-out offer, as far
 * as the ACD can tell.
 */
import type { AriEvent, AriEventOf, Channel } from '../ari/index.js';

export interface OwnChannel {
  /** As last seen. */
  channel: Channel;
  /** Its StasisStart was heard, its StasisEnd not yet. */
  inApp: boolean;
}

export type MissedEvent = AriEventOf<'StasisEnd'> | AriEventOf<'ChannelDestroyed'>;

/** Q.850 0: the channel is gone and nobody heard why. */
const CAUSE_UNKNOWN = 0;

export class OwnChannels {
  private readonly known = new Map<string, OwnChannel>();

  /** A StasisStart of one of the service's channels. */
  entered(channel: Channel): void {
    this.known.set(channel.id, { channel, inApp: true });
  }

  /** An event of one of the service's channels (one a watcher follows) that no call session holds. */
  heard(event: AriEvent, channelId: string): void {
    if (event.type === 'StasisEnd' || event.type === 'ChannelDestroyed') {
      this.known.delete(channelId);
      return;
    }
    const channel = event.type === 'Dial' ? event.peer : 'channel' in event ? event.channel : undefined;
    if (channel?.id !== channelId) return;
    this.known.set(channelId, { channel, inApp: this.known.get(channelId)?.inApp ?? false });
  }

  /** A call session holds the channel now (a survey leg answered): its end is the session's to hear. */
  handedToSession(channelId: string): void {
    this.known.delete(channelId);
  }

  /** What was known when Asterisk was asked for its channels. */
  snapshot(): ReadonlyMap<string, OwnChannel> {
    return new Map(this.known);
  }

  /**
   * Whether a missed end (from `missedEvents` on a snapshot) is still missing now, and forgets
   * the channel: not when its own end was heard meanwhile (the socket is back).
   */
  take(event: MissedEvent): boolean {
    return this.known.delete(event.channel.id);
  }
}

/**
 * Pure: the end each known channel missed, given the channels Asterisk has now. A channel
 * still there missed nothing it could act on; one that left the app alive is not told
 * (Asterisk's dialplan fields do not say so dependably: s7's moved channel keeps its old
 * app_data).
 */
export function missedEvents(known: ReadonlyMap<string, OwnChannel>, alive: ReadonlySet<string>, app: string, at: string): MissedEvent[] {
  const missed: MissedEvent[] = [];
  for (const [id, own] of known) {
    if (alive.has(id)) continue;
    const base = { timestamp: at, application: app, channel: own.channel };
    missed.push(own.inApp ? { ...base, type: 'StasisEnd' } : { ...base, type: 'ChannelDestroyed', cause: CAUSE_UNKNOWN, cause_txt: 'Unknown' });
  }
  return missed;
}
