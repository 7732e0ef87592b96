/**
 * AriPort over ari-client 2.2.0: the only door from the service to Asterisk.
 *
 * The adapter adds what ari-client lacks (each guarded where it is handled):
 * - connection.ts: reconnects forever after ari-client gives up; client-level listeners only.
 * - ws-guard.ts:   a frame ari-client cannot process is logged and dropped, never thrown.
 * - rest-call.ts:  every call settles within the request timeout; failures are AriErrors
 *                  with the HTTP status recovered from swagger-client.
 * - redact.ts:     the password (which ari-client puts in the socket URL) never reaches a log.
 * - direct-rest.ts: the requests every call makes (answer, play, hang up, music, bridges,
 *                  originate) skip ari-client's swagger request building, which cost more
 *                  CPU than the service's own handling of a call; they go over keep-alive
 *                  HTTP to the base path of the api-docs ari-client loaded, while a client
 *                  is connected, through the same timeout and error mapping.
 * Results are parsed with the zod schemas of resources.ts; events with parseAriEvent.
 */
import type { AriClient, AriResourceApi } from 'ari-client';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AriConnection } from './connection.js';
import { AriError } from './errors.js';
import { parseAriEvent, type AriEvent } from './events.js';
import type {
  AriPort, BridgeOptions, ConnectionState, DialplanTarget, HangupReason, MediaTarget, OriginateOptions,
  PlayOptions, RecordOptions, SnoopOptions,
} from './port.js';
import { describeError, scrub, type Secrets } from './redact.js';
import {
  BridgeSchema, ChannelSchema, LiveRecordingSchema, PlaybackSchema, StoredRecordingSchema,
  type Bridge, type Channel, type LiveRecording, type Playback, type StoredRecording,
} from './resources.js';
import { RestCaller } from './rest-call.js';
import { DirectRest, type DirectRequest } from './direct-rest.js';
import { ignore, params, parseWith, plain, VariableSchema } from './result-parsing.js';

export interface AriAdapterOptions {
  /** Base URL of Asterisk's HTTP server, e.g. http://asterisk:8088 (no credentials in it). */
  url: string;
  username: string;
  password: string;
  app: string;
  /** Every REST call settles within this many ms. */
  requestTimeoutMs: number;
  /** Upper bound of the reconnect backoff once ari-client has given up. */
  reconnectMaxDelayMs: number;
  /**
   * Bounds one connection attempt (api-docs load, then socket open); default
   * max(requestTimeoutMs, 5000). ari-client's api-docs load can hang too: after a dropped
   * keep-alive connection its reachability check fails with ECONNRESET, which it does not
   * treat as an error, and the load that follows never settles.
   */
  connectTimeoutMs?: number;
  /** After another connection took the app over: how often to ask whether it is free again (default 5000 ms). */
  appFreeCheckMs?: number;
  /** False when the app lease decides when to take the app back (takeBack()); default: when Asterisk says it is free. */
  takeBackWhenFree?: boolean;
  log: Logger;
}

type ResourceName = 'channels' | 'bridges' | 'playbacks' | 'recordings' | 'applications';

// The api-docs load is a dozen documents: allow it more than one REST call's time.
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;


export class AriClientAdapter implements AriPort {
  readonly app: string;
  private readonly log: Logger;
  private readonly secrets: Secrets;
  private readonly rest: RestCaller;
  private readonly direct: DirectRest;
  private readonly connection: AriConnection;
  private readonly eventListeners = new Set<(event: AriEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly replacedListeners = new Set<() => void>();
  private closed = false;

  constructor(options: AriAdapterOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`ARI url must be http(s), got ${url.protocol}`);
    }
    this.app = options.app;
    this.log = options.log.child({ component: 'ari' });
    this.secrets = { password: options.password };
    this.rest = new RestCaller({ timeoutMs: options.requestTimeoutMs, scrub: (t) => scrub(t, this.secrets) });
    this.direct = new DirectRest({ username: options.username, password: options.password, timeoutMs: options.requestTimeoutMs, scrub: (t) => scrub(t, this.secrets) });
    this.connection = new AriConnection(
      {
        url: options.url,
        username: options.username,
        password: options.password,
        app: options.app,
        connectTimeoutMs: options.connectTimeoutMs ?? Math.max(options.requestTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
        reconnectMaxDelayMs: options.reconnectMaxDelayMs,
        ...(options.appFreeCheckMs !== undefined ? { appFreeCheckMs: options.appFreeCheckMs } : {}),
        ...(options.takeBackWhenFree !== undefined ? { takeBackWhenFree: options.takeBackWhenFree } : {}),
        log: this.log,
      },
      {
        onRawEvent: (raw) => this.dispatch(raw),
        onConnectedChange: (connected) => this.notifyState(connected ? 'connected' : 'disconnected'),
        onReplaced: () => {
          for (const listener of this.replacedListeners) listener();
        },
      },
    );
  }

  /** Connects (retrying forever); resolves once the event socket is open the first time. */
  connect(): Promise<void> {
    return this.connection.start();
  }

  /** Listener counts on ari-client's objects, for leak checks. */
  listenerStats(): { client: number; instance: number; socketMessage: number } {
    return this.connection.listenerStats();
  }

  onEvent(listener: (event: AriEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  takenOverSince(): number | undefined {
    return this.connection.replacedSince();
  }

  /** Hears each takeover of the app by another connection (ApplicationReplaced). */
  onTakenOver(listener: () => void): () => void {
    this.replacedListeners.add(listener);
    return () => this.replacedListeners.delete(listener);
  }

  /** After a takeover: connects again (the app lease says this instance holds the app now). */
  takeBack(): void {
    this.connection.takeBack();
  }

  answer(channelId: string): Promise<void> {
    // First: a caller's answer never waits behind the other calls' prompts and music.
    return this.send('channels', 'answer', { method: 'POST', segments: ['channels', channelId, 'answer'], first: true }, ignore);
  }

  hangup(channelId: string, reason?: HangupReason): Promise<void> {
    return this.send('channels', 'hangup', { method: 'DELETE', segments: ['channels', channelId], query: { reason } }, ignore);
  }

  getChannel(channelId: string): Promise<Channel> {
    return this.call('channels', 'get', { channelId }, parseWith(ChannelSchema));
  }

  listChannels(): Promise<Channel[]> {
    return this.call('channels', 'list', {}, parseWith(z.array(ChannelSchema)));
  }

  async listApplications(): Promise<string[]> {
    const apps = await this.call('applications', 'list', {}, parseWith(z.array(z.looseObject({ name: z.string() }))));
    return apps.map((app) => app.name);
  }

  ring(channelId: string): Promise<void> {
    return this.send('channels', 'ring', { method: 'POST', segments: ['channels', channelId, 'ring'] }, ignore);
  }

  ringStop(channelId: string): Promise<void> {
    return this.send('channels', 'ringStop', { method: 'DELETE', segments: ['channels', channelId, 'ring'] }, ignore);
  }

  sendDtmf(channelId: string, dtmf: string, options: { between?: number; duration?: number } = {}): Promise<void> {
    return this.call('channels', 'sendDTMF', params({ channelId, dtmf, ...options }), ignore);
  }

  setVariable(channelId: string, name: string, value: string): Promise<void> {
    return this.call('channels', 'setChannelVar', { channelId, variable: name, value }, ignore);
  }

  async getVariable(channelId: string, name: string): Promise<string | undefined> {
    try {
      return await this.call('channels', 'getChannelVar', { channelId, variable: name }, (raw) => VariableSchema.parse(plain(raw)).value);
    } catch (error) {
      // 404 covers both a missing channel and an unset variable; only the body tells them apart.
      if (error instanceof AriError && error.code === 'ari:not-found' && /variable/i.test(error.message)) return undefined;
      throw error;
    }
  }

  continueInDialplan(channelId: string, target: DialplanTarget = {}): Promise<void> {
    const query = { context: target.context, extension: target.extension, priority: target.priority, label: target.label };
    return this.send('channels', 'continueInDialplan', { method: 'POST', segments: ['channels', channelId, 'continue'], query }, ignore);
  }

  startMoh(channelId: string, mohClass?: string): Promise<void> {
    return this.send('channels', 'startMoh', { method: 'POST', segments: ['channels', channelId, 'moh'], query: { mohClass } }, ignore);
  }

  stopMoh(channelId: string): Promise<void> {
    return this.send('channels', 'stopMoh', { method: 'DELETE', segments: ['channels', channelId, 'moh'] }, ignore);
  }

  play(target: MediaTarget, media: string[], options: PlayOptions): Promise<Playback> {
    // ARI takes several media as one comma-separated parameter.
    const query = { media: media.join(','), playbackId: options.playbackId, lang: options.lang };
    return 'channelId' in target
      ? this.send('channels', 'play', { method: 'POST', segments: ['channels', target.channelId, 'play'], query, answers: true }, parseWith(PlaybackSchema))
      : this.send('bridges', 'play', { method: 'POST', segments: ['bridges', target.bridgeId, 'play'], query, answers: true }, parseWith(PlaybackSchema));
  }

  stopPlayback(playbackId: string): Promise<void> {
    return this.send('playbacks', 'stop', { method: 'DELETE', segments: ['playbacks', playbackId] }, ignore);
  }

  async getPlayback(playbackId: string): Promise<Playback | undefined> {
    try {
      return await this.send('playbacks', 'get', { method: 'GET', segments: ['playbacks', playbackId], answers: true }, parseWith(PlaybackSchema));
    } catch (error) {
      if (error instanceof AriError && error.code === 'ari:not-found') return undefined;
      throw error;
    }
  }

  record(target: MediaTarget, options: RecordOptions): Promise<LiveRecording> {
    const common = params({
      name: options.name,
      format: options.format,
      maxDurationSeconds: options.maxDurationSeconds,
      maxSilenceSeconds: options.maxSilenceSeconds,
      ifExists: options.ifExists,
      beep: options.beep,
      terminateOn: options.terminateOn,
    });
    return 'channelId' in target
      ? this.call('channels', 'record', { channelId: target.channelId, ...common }, parseWith(LiveRecordingSchema))
      : this.call('bridges', 'record', { bridgeId: target.bridgeId, ...common }, parseWith(LiveRecordingSchema));
  }

  stopRecording(name: string): Promise<void> {
    return this.call('recordings', 'stop', { recordingName: name }, ignore);
  }

  pauseRecording(name: string): Promise<void> {
    return this.call('recordings', 'pause', { recordingName: name }, ignore);
  }

  unpauseRecording(name: string): Promise<void> {
    return this.call('recordings', 'unpause', { recordingName: name }, ignore);
  }

  getStoredRecording(name: string): Promise<StoredRecording> {
    return this.call('recordings', 'getStored', { recordingName: name }, parseWith(StoredRecordingSchema));
  }

  getStoredRecordingFile(name: string): Promise<Buffer> {
    return this.call('recordings', 'getStoredFile', { recordingName: name }, (raw) => {
      if (Buffer.isBuffer(raw)) return raw;
      if (raw instanceof Uint8Array || typeof raw === 'string') return Buffer.from(raw);
      throw new Error(`expected the file's bytes, got ${typeof raw}`);
    });
  }

  deleteStoredRecording(name: string): Promise<void> {
    return this.call('recordings', 'deleteStored', { recordingName: name }, ignore);
  }

  snoop(channelId: string, options: SnoopOptions): Promise<Channel> {
    const query = params({ channelId, app: this.app, spy: options.spy, whisper: options.whisper, appArgs: options.appArgs, snoopId: options.snoopId });
    return this.call('channels', 'snoopChannel', query, parseWith(ChannelSchema));
  }

  createBridge(options: BridgeOptions): Promise<Bridge> {
    const query = { type: options.type, bridgeId: options.bridgeId, name: options.name };
    return this.send('bridges', 'create', { method: 'POST', segments: ['bridges'], query, answers: true }, parseWith(BridgeSchema));
  }

  destroyBridge(bridgeId: string): Promise<void> {
    return this.send('bridges', 'destroy', { method: 'DELETE', segments: ['bridges', bridgeId] }, ignore);
  }

  addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    return this.send('bridges', 'addChannel', { method: 'POST', segments: ['bridges', bridgeId, 'addChannel'], query: { channel: channelIds.join(',') } }, ignore);
  }

  removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    return this.send('bridges', 'removeChannel', { method: 'POST', segments: ['bridges', bridgeId, 'removeChannel'], query: { channel: channelIds.join(',') } }, ignore);
  }

  listBridges(): Promise<Bridge[]> {
    return this.call('bridges', 'list', {}, parseWith(z.array(BridgeSchema)));
  }

  originate(options: OriginateOptions): Promise<Channel> {
    const query = {
      endpoint: options.endpoint,
      app: options.app ?? this.app,
      appArgs: options.appArgs,
      callerId: options.callerId,
      timeout: options.timeoutSeconds,
      channelId: options.channelId,
    };
    // As ari-client sends them: the JSON body { variables: {...} }, none when there are none.
    const body = options.variables && Object.keys(options.variables).length > 0 ? { variables: options.variables } : undefined;
    return this.send('channels', 'originate', { method: 'POST', segments: ['channels'], query, body, answers: true }, parseWith(ChannelSchema));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
    this.rest.abortAll('ARI port closed');
    this.direct.close();
    this.eventListeners.clear();
    this.stateListeners.clear();
  }

  /**
   * The single path of every REST call: current client, timeout, typed error, parsed result.
   * With no client (never connected, or between clients) a call fails at once with
   * `ari:unavailable`. While ari-client is only reconnecting its socket, calls are still
   * tried: REST often works during a socket blip, and the timeout bounds the rest.
   */
  private call<T>(resource: ResourceName, operation: string, args: Record<string, unknown>, parse: (raw: unknown) => T): Promise<T> {
    const name = `${resource}.${operation}`;
    if (this.closed) return Promise.reject(new AriError('ari:unavailable', 'the ARI port is closed', name));
    const client: AriClient | undefined = this.connection.current();
    const api: AriResourceApi | undefined = client?.[resource];
    const fn = api?.[operation];
    if (!fn) return Promise.reject(new AriError('ari:unavailable', 'not connected to Asterisk', name));
    return this.rest.call(name, () => fn.call(api, args), parse);
  }

  /**
   * The path of the hot requests (direct-rest.ts): like call(), it fails at once with no
   * client and settles within the request timeout, and the request goes to the base path of
   * the api-docs that client loaded.
   */
  private send<T>(resource: ResourceName, operation: string, request: Omit<DirectRequest, 'operation'>, parse: (raw: unknown) => T): Promise<T> {
    const name = `${resource}.${operation}`;
    if (this.closed) return Promise.reject(new AriError('ari:unavailable', 'the ARI port is closed', name));
    const basePath = this.connection.current()?._swagger.apis[resource]?.basePath;
    if (!basePath) return Promise.reject(new AriError('ari:unavailable', 'not connected to Asterisk', name));
    return this.rest.call(name, () => this.direct.send(basePath, { ...request, operation: name }), parse);
  }

  private dispatch(raw: unknown): void {
    const parsed = parseAriEvent(raw);
    if (!parsed.ok) {
      if (parsed.reason === 'unhandled-type') this.log.debug({ eventType: parsed.type }, 'ARI event ignored: type not handled');
      else this.log.warn({ eventType: parsed.type, issues: parsed.issues }, 'ARI event dropped: invalid');
      return;
    }
    for (const listener of this.eventListeners) {
      try {
        listener(parsed.event);
      } catch (error) {
        // One failing listener must not starve the others, nor reach ari-client's socket handler.
        this.log.error({ eventType: parsed.event.type, error: describeError(error, this.secrets) }, 'ARI event listener threw');
      }
    }
  }

  private notifyState(state: ConnectionState): void {
    for (const listener of this.stateListeners) {
      try {
        listener(state);
      } catch (error) {
        this.log.error({ state, error: describeError(error, this.secrets) }, 'connection listener threw');
      }
    }
  }
}

/** Builds the port and waits until the event socket is open (retrying, with logs, until then). */
export async function createAriPort(options: AriAdapterOptions): Promise<AriClientAdapter> {
  const adapter = new AriClientAdapter(options);
  await adapter.connect();
  return adapter;
}
