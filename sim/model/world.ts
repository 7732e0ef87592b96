/**
 * Everything the simulated Asterisk knows at one moment, and the helpers every model file
 * shares: id counters, JSON snapshots in Asterisk's field order, and who hears a channel.
 */
import type { Clock } from '../clock.js';
import type { EventHub } from '../events.js';
import { asteriskTimestamp, hex8, uniqueId } from '../format.js';
import type { ResolvedOptions } from './types.js';
import type { EndpointRule } from './types.js';
import { channelWatchers, type Registration } from './registrations.js';
import type { SimBridge, SimChannel, SimLiveRecording, SimPlayback, SoftphoneDialer, SoundPlayed } from './types.js';

/** The sound log keeps the latest entries only: the demo runs for days. */
const SOUND_LOG_LIMIT = 10_000;

export class World {
  readonly channels = new Map<string, SimChannel>();
  readonly bridges = new Map<string, SimBridge>();
  readonly playbacks = new Map<string, SimPlayback>();
  readonly liveRecordings = new Map<string, SimLiveRecording>();
  readonly endpointRules: EndpointRule[] = [];
  /** SIP registrations by endpoint name; absent: never registered nor logged out. */
  readonly registrations = new Map<string, Registration>();
  /** Real softphones registered over WebSocket (sim/sip), when the SIP side runs. */
  softphones?: SoftphoneDialer;
  /** Event sources (`endpoint:PJSIP/agent1`, `bridge:<id>`) each app subscribed to. */
  readonly subscriptions = new Map<string, Set<string>>();
  /** Every file playbacks asked for, latest last: what a caller actually heard. */
  private readonly soundLog: SoundPlayed[] = [];
  private uniqueCounter = 0;
  /** Local, Recorder and Announcer names share one sequence in Asterisk; PJSIP and Snoop have their own. */
  private readonly nameCounters = { local: 0, pjsip: 0, snoop: 0 };

  constructor(readonly opts: ResolvedOptions, readonly hub: EventHub, readonly clock: Clock) {}

  nextUniqueId(): string {
    return uniqueId(this.uniqueCounter++);
  }

  nextName(kind: keyof World['nameCounters']): string {
    return hex8(this.nameCounters[kind]++);
  }

  /** A restart: counters start again from zero, as in a fresh Asterisk process. */
  resetCounters(): void {
    this.uniqueCounter = 0;
    this.nameCounters.local = 0;
    this.nameCounters.pjsip = 0;
    this.nameCounters.snoop = 0;
  }

  now(): string {
    return asteriskTimestamp();
  }

  soundMs(media: string): number {
    const name = media.replace(/^sound:/, '');
    return this.opts.sounds[name] ?? this.opts.sounds['*'] ?? 2000;
  }

  /** Apps that hear about this channel: those that originated it, and the app it is in. */
  recipients(ch: SimChannel): Set<string> {
    const apps = new Set(ch.subs);
    if (ch.stasisApp) apps.add(ch.stasisApp);
    return apps;
  }

  emitChannel(ch: SimChannel, type: string, fields: Record<string, unknown> = {}, pre: Record<string, unknown> = {}): void {
    this.emitAbout(ch, type, { ...fields, channel: snapshotChannel(ch) }, pre);
  }

  /**
   * An event about a channel: to the apps that follow it, then once more to the apps
   * subscribed to its endpoint (Asterisk delivers both copies, s12 case f).
   */
  emitAbout(ch: SimChannel, type: string, fields: Record<string, unknown>, pre: Record<string, unknown> = {}): void {
    this.hub.emit(this.recipients(ch), type, fields, pre);
    const watchers = channelWatchers(this, ch);
    if (watchers.size > 0) this.hub.emit(watchers, type, fields, pre);
  }

  /** Records a file a playback asked for; `quiet` when Asterisk checks before opening and logs nothing. */
  logSound(entry: SoundPlayed, quiet = false): void {
    this.soundLog.push(entry);
    if (this.soundLog.length > SOUND_LOG_LIMIT) this.soundLog.splice(0, this.soundLog.length - SOUND_LOG_LIMIT);
    if (quiet) return;
    if (entry.missing !== undefined) this.warn(`file.c: Unable to open ${entry.missing} (language ${entry.language}): No such file or directory`);
    if (entry.error !== undefined) this.warn(entry.error);
  }

  soundsPlayed(targetUri: string): SoundPlayed[] {
    return this.soundLog.filter((s) => s.targetUri === targetUri);
  }

  /** A line Asterisk would log at WARNING. */
  warn(text: string): void {
    this.opts.log(`WARNING ${text}`);
  }

  findChannel(id: string): SimChannel | undefined {
    const ch = this.channels.get(id);
    return ch && !ch.hangup ? ch : undefined;
  }
}

export function snapshotChannel(ch: SimChannel): Record<string, unknown> {
  return {
    id: ch.id,
    name: ch.name,
    state: ch.state,
    protocol_id: ch.protocolId,
    caller: { ...ch.caller },
    connected: { ...ch.connected },
    accountcode: '',
    dialplan: { ...ch.dialplan },
    creationtime: ch.creationtime,
    language: ch.language,
  };
}

export function snapshotBridge(b: SimBridge): Record<string, unknown> {
  return {
    id: b.id,
    technology: b.technology,
    bridge_type: b.bridge_type,
    bridge_class: b.bridge_class,
    creator: b.creator,
    name: b.name,
    // Asterisk lists a bridge's channels from a container sorted by id, not in join order (s13, s14).
    channels: [...b.channels].sort(),
    creationtime: b.creationtime,
    video_mode: b.video_mode,
  };
}

export function snapshotPlayback(p: SimPlayback): Record<string, unknown> {
  const next = p.media[p.index + 1];
  return {
    id: p.id,
    media_uri: p.media[p.index],
    ...(next !== undefined ? { next_media_uri: next } : {}),
    target_uri: p.targetUri,
    language: p.language,
    state: p.state,
  };
}

export function snapshotRecording(r: SimLiveRecording, duration?: number, cause?: string): Record<string, unknown> {
  return {
    name: r.name,
    format: r.format,
    state: r.state,
    target_uri: r.targetUri,
    ...(duration !== undefined ? { duration } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}
