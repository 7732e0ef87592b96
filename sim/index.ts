/**
 * The ARI simulator: a stand-in for Asterisk 22 that speaks the real ARI protocol (REST,
 * Swagger 1.1 api-docs, the event WebSocket), so the unchanged ari-client, the service and
 * its tests run against it. Behaviour follows traces recorded from a real Asterisk.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from './clock.js';
import { SimControl, type PlaceCallOptions } from './control.js';
import { controlHttp } from './control-http.js';
import { EventHub, type LoggedEvent } from './events.js';
import type { EndpointBehaviour } from './model/endpoints.js';
import type { RejectKind } from './model/dial-outcome.js';
import { World } from './model/world.js';
import { DEFAULT_SOUND_DURATIONS_MS, DEFAULT_UNKNOWN_SOUND_MS, mediaWorld, type AriSimulatorOptions, type ResolvedOptions } from './options.js';
import { AriServer } from './server.js';
import { EXAMPLE_SIP_SECRET, SipServer } from './sip/index.js';

export type { AriSimulatorOptions } from './options.js';
export type { Clock } from './clock.js';
export { ManualClock } from './manual-clock.js';
export type { EndpointBehaviour } from './model/endpoints.js';
export type { RejectKind } from './model/dial-outcome.js';
export type { ChannelSnapshot, PlaceCallOptions } from './control.js';
export type { LoggedEvent } from './events.js';
export type { ReceivedRequest } from './request-log.js';
export type { SoundPlayed } from './model/types.js';
export { SimControlError } from './control.js';

import type { ChannelSnapshot } from './control.js';
import type { ReceivedRequest } from './request-log.js';
import type { SoundPlayed } from './model/types.js';

export interface AriSimulator {
  /** `http://host:port`, what ari-client connects to. */
  readonly url: string;
  /** `ws://host:port/ws`: where softphones register and call (SIP over WebSocket, subprotocol `sip`). */
  readonly sipUrl: string;
  /** The SIP password of an endpoint a softphone registers for; undefined for others. */
  sipPassword(endpoint: string): string | undefined;
  /** RTP sent to and received from the softphone on a channel's call (404 SimControlError if none). */
  softphoneMedia(channelId: string): Record<string, unknown>;
  readonly port: number;
  readonly recordingsDir: string;
  close(): Promise<void>;
  placeCall(o: PlaceCallOptions): ChannelSnapshot;
  pressDigits(channelId: string, digits: string, o?: { durationMs?: number; gapMs?: number }): void;
  hangupFromCaller(channelId: string, o?: { cause?: number }): void;
  setEndpointBehaviour(pattern: string | RegExp, behaviour: EndpointBehaviour): void;
  answerChannel(channelId: string): void;
  /** A ringing originated channel gets a final SIP rejection (486, 480, 603, 503). */
  rejectChannel(channelId: string, kind: RejectKind): void;
  /** A softphone registers for the endpoint; `phone`: what it does when called. */
  registerEndpoint(name: string, o?: { contact?: string; phone?: EndpointBehaviour }): void;
  /** The softphone logs out: originates to the endpoint fail with 500 `Allocation failed`. */
  unregisterEndpoint(name: string): void;
  dropWebSockets(): void;
  /** Cuts the event WebSockets and refuses new ones until restoreEventSockets(); REST and calls carry on. */
  cutEventSockets(): void;
  restoreEventSockets(): void;
  /** The most channels of a PJSIP endpoint (a trunk) alive at once so far. */
  outboundPeak(endpoint: string): number;
  outage(ms: number): Promise<void>;
  stopListening(): Promise<void>;
  resumeListening(): Promise<void>;
  emitRaw(frame: object): void;
  channels(): Array<Record<string, unknown>>;
  bridges(): Array<Record<string, unknown>>;
  recordings(): ReturnType<SimControl['recordings']>;
  /** Every sound file playbacks on the channel asked for: read, missing, or untranslatable. */
  soundsPlayed(channelId: string): SoundPlayed[];
  /** Every event sent, with the app it went to, in order. */
  events(): readonly LoggedEvent[];
  clearEvents(): void;
  /** The ARI REST requests answered, oldest first (the latest 1000). */
  requests(): readonly ReceivedRequest[];
}

export async function startAriSimulator(options: AriSimulatorOptions): Promise<AriSimulator> {
  const speed = options.speed ?? 1;
  if (!(speed > 0 && speed <= 1000)) throw new Error('speed must be in (0, 1000]');
  const opts: ResolvedOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    username: options.username,
    password: options.password,
    recordingsDir: options.recordingsDir ?? mkdtempSync(join(tmpdir(), 'ari-sim-recordings-')),
    speed,
    sounds: { ...DEFAULT_SOUND_DURATIONS_MS, '*': DEFAULT_UNKNOWN_SOUND_MS, ...options.soundDurationsMs },
    ...mediaWorld(options),
    log: options.log ?? (() => undefined),
  };
  const clock = options.clock ?? new ScaledClock(speed);
  const hub = new EventHub(opts.log);
  const world = new World(opts, hub, clock);
  let control: SimControl | undefined;
  const server = new AriServer(world, hub, (m, p, b) => controlHttp(control!, hub)(m, p, b));
  const sip = new SipServer(world, options.sipSecret ?? EXAMPLE_SIP_SECRET);
  server.serveUpgrade('/ws', (req, socket, head) => sip.upgrade(req, socket, head));
  const port = await server.listen(opts.port, opts.host);
  control = new SimControl(world, server, opts.host);
  const c = control;
  sip.placeCall = (o) => c.placeCall(o);
  return {
    url: `http://${opts.host}:${port}`,
    sipUrl: `ws://${opts.host}:${port}/ws`,
    sipPassword: (endpoint) => sip.password(endpoint),
    softphoneMedia: (id) => c.media(id),
    port,
    recordingsDir: opts.recordingsDir,
    async close() {
      c.dispose();
      sip.close();
      clock.cancelAll();
      await server.stop();
    },
    placeCall: (o) => c.placeCall(o),
    pressDigits: (id, d, o) => c.pressDigits(id, d, o),
    hangupFromCaller: (id, o) => c.hangupFromCaller(id, o),
    setEndpointBehaviour: (p, b) => c.setEndpointBehaviour(p, b),
    answerChannel: (id) => c.answerChannel(id),
    rejectChannel: (id, k) => c.rejectChannel(id, k),
    registerEndpoint: (name, o) => c.registerEndpoint(name, o),
    unregisterEndpoint: (name) => c.unregisterEndpoint(name),
    dropWebSockets: () => c.dropWebSockets(),
    cutEventSockets: () => c.cutEventSockets(),
    restoreEventSockets: () => c.restoreEventSockets(),
    outboundPeak: (endpoint) => c.outboundPeak(endpoint),
    outage: (ms) => c.outage(ms),
    stopListening: () => c.stopListening(),
    resumeListening: () => c.resumeListening(),
    emitRaw: (f) => c.emitRaw(f),
    channels: () => c.channels(),
    bridges: () => c.bridges(),
    recordings: () => c.recordings(),
    soundsPlayed: (id) => c.soundsPlayed(id),
    events: () => hub.events(),
    clearEvents: () => hub.clearLog(),
    requests: () => server.requests.all(),
  };
}
