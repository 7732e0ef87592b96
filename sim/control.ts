/**
 * The simulator's control API: what the world outside Asterisk does (a citizen calls,
 * presses keys, hangs up; an agent's phone is busy; Asterisk restarts). Tests and the demo
 * drive these directly; `control-http.ts` exposes the same operations over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { createChannel, enterStasis, hangupChannel, NORMAL_CLEARING, shutdownChannels } from './model/channels.js';
import { negotiate } from './model/codecs.js';
import { ringingControls, type RejectKind } from './model/dial-outcome.js';
import { outboundPeak } from './model/originate.js';
import { register, unregister } from './model/registrations.js';
import { scheduleDigits } from './model/dtmf.js';
import type { EndpointBehaviour } from './model/endpoints.js';
import { listStored } from './model/recordings.js';
import type { SoundPlayed } from './model/types.js';
import { snapshotBridge, snapshotChannel, snapshotRecording, type World } from './model/world.js';
import type { AriServer } from './server.js';

/** A channel as ARI shows it; `id` is what the other controls take. */
export type ChannelSnapshot = { id: string; name: string; state: string } & Record<string, unknown>;

export class SimControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface PlaceCallOptions {
  from: string;
  fromName?: string;
  dialled: string;
  app?: string;
  /** Dialplan context the call is in when it reaches Stasis (default: the shipped dialplan's `hotline-entry`). */
  context?: string;
  /** Stasis arguments (default `[dialled]`). */
  args?: string[];
  /**
   * PJSIP endpoint the call comes from (default `carrier`, as in the shipped pjsip.conf,
   * which gives the channel its language and codecs).
   */
  endpoint?: string;
  /** The caller's SDP offer, in its order of preference (default: the endpoint's own). */
  codecs?: string[];
}

export class SimControl {
  private cancelOutage?: () => void;
  private down = false;

  constructor(private readonly world: World, private readonly server: AriServer, private readonly host: string) {}

  placeCall(o: PlaceCallOptions): ChannelSnapshot {
    const app = o.app ?? this.world.hub.registeredApps()[0] ?? 'hotline';
    if (!this.world.hub.isRegistered(app)) throw new SimControlError(409, `Stasis application '${app}' is not registered`);
    const args = o.args ?? [o.dialled];
    const endpoint = o.endpoint ?? (this.world.opts.endpoints.has('carrier') ? 'carrier' : 'trunk');
    const config = this.world.opts.endpoints.get(endpoint);
    if (!config) throw new SimControlError(404, `No PJSIP endpoint '${endpoint}'`);
    const format = negotiate(config.allow, o.codecs);
    // Asterisk answers an INVITE with no codec in common 488 Not Acceptable Here: no channel.
    if (!format) throw new SimControlError(488, `No codec in common: endpoint '${endpoint}' allows ${config.allow.join(',')}`);
    const ch = createChannel(this.world, {
      name: `PJSIP/${endpoint}-${this.world.nextName('pjsip')}`,
      tech: 'PJSIP',
      state: 'Ring',
      caller: { name: o.fromName ?? '', number: o.from },
      protocolId: randomUUID(),
      dialplan: { context: o.context ?? 'hotline-entry', exten: o.dialled, priority: 2, app_name: 'Stasis', app_data: '' },
      language: config.language,
      format,
    });
    enterStasis(this.world, ch, app, args, false);
    return snapshotChannel(ch) as ChannelSnapshot;
  }

  pressDigits(channelId: string, digits: string, o: { durationMs?: number; gapMs?: number } = {}): void {
    const ch = this.channel(channelId);
    scheduleDigits(this.world, ch, digits, o.durationMs ?? 280, o.gapMs ?? 500, 0);
  }

  /** A SIP BYE: ChannelHangupRequest without a cause unless one is given. */
  hangupFromCaller(channelId: string, o: { cause?: number } = {}): void {
    const ch = this.channel(channelId);
    hangupChannel(this.world, ch, o.cause === undefined ? {} : { cause: o.cause }, NORMAL_CLEARING);
  }

  setEndpointBehaviour(pattern: string | RegExp, behaviour: EndpointBehaviour): void {
    this.world.endpointRules.push({ pattern, behaviour });
  }

  /**
   * A softphone registers for a PJSIP endpoint (`agent1`, `1001`): originates to it now
   * allocate a channel, and `phone` (when given) is what the phone does when called.
   */
  registerEndpoint(name: string, o: { contact?: string; phone?: EndpointBehaviour } = {}): void {
    this.knownEndpoint(name);
    if (o.phone) this.setEndpointBehaviour(`PJSIP/${name}`, o.phone);
    register(this.world, name, o.contact);
  }

  /** The softphone logs out: originates to the endpoint answer 500 `Allocation failed`. */
  unregisterEndpoint(name: string): void {
    this.knownEndpoint(name);
    unregister(this.world, name);
  }

  answerChannel(channelId: string): void {
    const controls = ringingControls(this.channel(channelId));
    if (!controls) throw new SimControlError(409, 'Channel is not ringing');
    controls.answer();
  }

  rejectChannel(channelId: string, kind: RejectKind): void {
    const controls = ringingControls(this.channel(channelId));
    if (!controls) throw new SimControlError(409, 'Channel is not ringing');
    controls.reject(kind);
  }

  /** What the call with a softphone carried: RTP sent to it and received from it (sim/sip). */
  media(channelId: string): Record<string, unknown> {
    const counts = this.world.softphones?.mediaOf(channelId);
    if (!counts) throw new SimControlError(404, 'No softphone media on this channel');
    return counts;
  }

  dropWebSockets(): void {
    this.server.dropWebSockets();
  }

  /**
   * The event sockets are cut and new ones refused until `restoreEventSockets()`: Asterisk
   * and its calls carry on, REST answers, and each app whose socket went is gone (s17:
   * Stasis() fails for a new call, whose dialplan goes on without the app).
   */
  cutEventSockets(): void {
    this.server.refuseEventSockets(true);
    this.server.dropWebSockets();
  }

  restoreEventSockets(): void {
    this.server.refuseEventSockets(false);
  }

  /** The most channels of a PJSIP endpoint (a trunk) alive at once so far. */
  outboundPeak(endpoint: string): number {
    return outboundPeak(this.world, endpoint);
  }

  /** Asterisk goes down: channels in apps hear a shutdown hangup, everything is lost. */
  async stopListening(): Promise<void> {
    if (this.down) return;
    this.down = true;
    shutdownChannels(this.world);
    this.world.clock.cancelAll();
    this.world.bridges.clear();
    this.world.playbacks.clear();
    this.world.liveRecordings.clear();
    this.world.resetCounters();
    await this.server.stop();
    this.world.hub.resetRegistrations();
  }

  async resumeListening(): Promise<void> {
    if (!this.down) return;
    this.cancelOutage?.();
    await this.server.listen(this.server.boundPort, this.host);
    this.down = false;
  }

  /** Down for `ms` simulated milliseconds, then back on the same port. */
  async outage(ms: number): Promise<void> {
    await this.stopListening();
    this.cancelOutage = this.world.clock.after(ms, () => void this.resumeListening());
  }

  emitRaw(frame: object): void {
    this.world.hub.emitRaw(frame);
  }

  /** Every file playbacks on this channel asked for, in order: what the caller heard. */
  soundsPlayed(channelId: string): SoundPlayed[] {
    return this.world.soundsPlayed(`channel:${channelId}`);
  }

  channels(): Array<Record<string, unknown>> {
    return [...this.world.channels.values()].map(snapshotChannel);
  }

  bridges(): Array<Record<string, unknown>> {
    return [...this.world.bridges.values()].map(snapshotBridge);
  }

  recordings(): { live: Array<Record<string, unknown>>; stored: Array<{ name: string; format: string; path: string }> } {
    return {
      live: [...this.world.liveRecordings.values()].map((r) => snapshotRecording(r)),
      stored: listStored(this.world),
    };
  }

  dispose(): void {
    this.cancelOutage?.();
  }

  private knownEndpoint(name: string): void {
    if (!this.world.opts.endpoints.has(name)) throw new SimControlError(404, `No PJSIP endpoint '${name}'`);
  }

  private channel(id: string) {
    const ch = this.world.findChannel(id);
    if (!ch || ch.hangingUp) throw new SimControlError(404, 'Channel not found');
    return ch;
  }
}
