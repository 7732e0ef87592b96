/**
 * Keeps one ari-client connected to Asterisk, for as long as the service runs.
 *
 *   idle ──connect()──► connecting ──api-docs loaded, socket open──► connected
 *                          ▲   │ failed or timed out                    │ socket lost
 *                          │   ▼                                        ▼
 *                      backoff timer ◄──WebSocketMaxRetries── ari-client retrying (10 tries, ~43 s)
 *
 * ari-client reconnects by itself after a short loss, but gives up after 10 tries and then
 * never tries again. When it gives up, or when a connection attempt fails, this class drops
 * that client and builds a new one (which also reloads the api-docs, in case Asterisk came
 * back as another version) after a capped exponential backoff, forever, until `close()`.
 *
 * Listeners are registered on the client object only, once per client; no per-channel
 * (`channel.on`) listener is ever created, because ari-client never removes those.
 *
 * Another connection taking the app (trace s17: a second instance started with the same app
 * name, or a rolling restart) is a lost connection, not a fight over the name: the older
 * connection gets ApplicationReplaced and would hear nothing more on a socket that stays
 * open. So this one raises an alarm, drops its client (not ready, no REST calls that could
 * touch the calls the newer one now runs), and never reconnects while the app is held. It
 * asks Asterisk every `appFreeCheckMs` whether the app is still held, and takes it back only
 * once it is free (the other connection gone: otherwise Stasis() would fail for every call).
 * Under the app lease (src/app-lease/, `takeBackWhenFree: false`) it does not ask: the lease
 * says when this instance holds the app again, through takeBack().
 *
 * One connection per process: swagger-client keeps the Basic-auth credentials in a
 * module-wide registry that each `ari.connect` overwrites, so two clients with different
 * credentials in one process would send each other's.
 */
import ari, { type AriClient } from 'ari-client';
import type { Logger } from 'pino';
import { describeError, safeUrl, scrub, type Secrets } from './redact.js';
import { instrumentStatusCapture, RestCaller } from './rest-call.js';
import { guardSwagger } from './swagger-guard.js';
import { guardWebSockets, type WsGuard } from './ws-guard.js';
import { AriError } from './errors.js';
import { appHolder } from './app-holder.js';
import { backoffMs } from '../shared/backoff.js';

export interface ConnectionOptions {
  url: string;
  username: string;
  password: string;
  app: string;
  /** Bounds each connection attempt (api-docs load, then socket open). */
  connectTimeoutMs: number;
  reconnectMaxDelayMs: number;
  /** After ApplicationReplaced: how often to ask whether the app is free again (default 5000 ms). */
  appFreeCheckMs?: number;
  /**
   * After ApplicationReplaced: false when something else (the app lease) decides when to take
   * the app back, through takeBack(); default true: asked of Asterisk every appFreeCheckMs.
   */
  takeBackWhenFree?: boolean;
  log: Logger;
}

export interface ConnectionHandlers {
  /** Every event frame ari-client delivered, as the raw JSON object. */
  onRawEvent(raw: unknown): void;
  onConnectedChange(connected: boolean): void;
  /** Another connection took the app over (ApplicationReplaced); told before the connection drops. */
  onReplaced?(): void;
}

/** Client-level events the connection listens to: the only listeners it adds. */
const CLIENT_EVENTS = ['*', 'WebSocketConnected', 'WebSocketReconnecting', 'WebSocketMaxRetries'] as const;

const FIRST_RETRY_DELAY_MS = 500;
const DEFAULT_APP_FREE_CHECK_MS = 5000;

function isReplacement(raw: unknown, app: string): boolean {
  const event = raw as { type?: unknown; application?: unknown } | null;
  return event?.type === 'ApplicationReplaced' && event.application === app;
}

export class AriConnection {
  private client: AriClient | undefined;
  private guard: WsGuard | undefined;
  private connected = false;
  private closed = false;
  private failures = 0;
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Set from ApplicationReplaced until the app is found free and taken back. */
  private replacedAt: number | undefined;
  private freeCheckTimer: NodeJS.Timeout | undefined;
  private readonly secrets: Secrets;
  /** Races the api-docs load and the socket opening with connectTimeoutMs. */
  private readonly steps: RestCaller;
  private readonly firstConnect: Promise<void>;
  private settleFirst: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.secrets = { password: options.password };
    this.steps = new RestCaller({ timeoutMs: options.connectTimeoutMs, scrub: (text) => scrub(text, this.secrets) });
    this.firstConnect = new Promise<void>((resolve, reject) => {
      this.settleFirst = { resolve, reject };
    });
    // close() before the first connection rejects this; nobody may be waiting.
    this.firstConnect.catch(() => {});
  }

  /** Starts connecting; resolves once connected the first time, retrying until then. */
  start(): Promise<void> {
    if (!this.closed && !this.client && !this.retryTimer && this.replacedAt === undefined) void this.attempt();
    return this.firstConnect;
  }

  current(): AriClient | undefined {
    return this.client;
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** Since when another connection holds the app (epoch ms), or undefined. */
  replacedSince(): number | undefined {
    return this.replacedAt;
  }

  /** Listener counts on the current client and its socket: they must not grow with calls. */
  listenerStats(): { client: number; instance: number; socketMessage: number } {
    const client = this.client;
    if (!client) return { client: 0, instance: 0, socketMessage: 0 };
    const clientCount = client.eventNames().reduce((sum, name) => sum + client.listenerCount(name), 0);
    const instance = Object.values(client._instanceListeners ?? {}).reduce((sum, list) => sum + list.length, 0);
    return { client: clientCount, instance, socketMessage: this.guard?.messageListenerCount() ?? 0 };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.freeCheckTimer) clearTimeout(this.freeCheckTimer);
    this.retryTimer = undefined;
    this.freeCheckTimer = undefined;
    this.steps.abortAll('ARI connection closed');
    this.dropClient();
    this.settleFirst?.reject(new AriError('ari:unavailable', 'closed before connecting', 'connect'));
    this.options.log.info('ARI connection closed');
  }

  private async attempt(): Promise<void> {
    this.retryTimer = undefined;
    this.attempts += 1;
    const { log, url, username, password, app } = this.options;
    log.info({ attempt: this.attempts, url: safeUrl(url), app }, 'connecting to ARI');
    try {
      guardSwagger((text) => log.debug({ from: 'swagger-client' }, scrub(text, this.secrets)));
      const client = (await this.steps.withTimeout('connect', ari.connect(url, username, password))) as AriClient;
      // A close() while the api-docs were loading: this client never gets a socket.
      if (this.closed) return;
      this.adopt(client);
      await this.steps.withTimeout('start', client.start(app));
      this.failures = 0;
    } catch (error) {
      if (this.closed) return;
      this.dropClient();
      this.scheduleRetry('connection attempt failed', error);
    }
  }

  private adopt(client: AriClient): void {
    const { log } = this.options;
    instrumentStatusCapture(client);
    this.guard = guardWebSockets(client, {
      onDroppedFrame: (type, error) =>
        log.warn({ eventType: type, error: describeError(error, this.secrets) }, 'ARI frame dropped: ari-client could not process it'),
    });
    client.on('*', (raw: unknown) => {
      if (!isReplacement(raw, this.options.app)) return this.handlers.onRawEvent(raw);
      if (client === this.client) this.replaced();
    });
    client.on('WebSocketConnected', () => {
      log.info({ app: this.options.app }, 'ARI event WebSocket connected');
      this.setConnected(true);
    });
    client.on('WebSocketReconnecting', (error: unknown) => {
      log.warn({ error: error ? describeError(error, this.secrets) : undefined }, 'ARI event WebSocket lost; ari-client is retrying');
      this.setConnected(false);
    });
    client.on('WebSocketMaxRetries', (error: unknown) => {
      if (client !== this.client) return;
      this.setConnected(false);
      this.dropClient();
      this.scheduleRetry('ari-client gave up reconnecting', error);
    });
    this.client = client;
  }

  private replaced(): void {
    const { log, app } = this.options;
    this.replacedAt = Date.now();
    log.error(
      { alarm: 'ari-app-replaced', app },
      'another connection took over the ARI app: this instance hears no events for it any more; it stops handling calls and takes the app back only once it is free',
    );
    this.handlers.onReplaced?.();
    this.dropClient();
    if (this.options.takeBackWhenFree !== false) this.scheduleFreeCheck();
  }

  /** Connects again after a takeover, when the app lease says this instance holds the app now. */
  takeBack(): void {
    if (this.closed || this.replacedAt === undefined) return;
    if (this.freeCheckTimer) clearTimeout(this.freeCheckTimer);
    this.freeCheckTimer = undefined;
    this.options.log.warn({ app: this.options.app, replacedForMs: Date.now() - this.replacedAt }, 'taking the ARI app back: this instance holds its lease');
    this.replacedAt = undefined;
    void this.attempt();
  }

  private scheduleFreeCheck(): void {
    const { url, username, password, app, connectTimeoutMs, log } = this.options;
    this.freeCheckTimer = setTimeout(() => {
      void appHolder({ url, username, password, app, timeoutMs: connectTimeoutMs }).then((holder) => {
        this.freeCheckTimer = undefined;
        if (this.closed) return;
        if (holder !== 'free') return this.scheduleFreeCheck();
        log.warn({ app, replacedForMs: Date.now() - (this.replacedAt ?? Date.now()) }, 'the ARI app is free again: taking it back');
        this.replacedAt = undefined;
        void this.attempt();
      });
    }, this.options.appFreeCheckMs ?? DEFAULT_APP_FREE_CHECK_MS);
  }

  /** Forgets the current client: no more events from it, no socket, no reconnects. */
  private dropClient(): void {
    const { client, guard } = this;
    this.client = undefined;
    this.guard = undefined;
    if (!client) return;
    for (const name of CLIENT_EVENTS) client.removeAllListeners(name);
    guard?.retire();
    this.setConnected(false);
  }

  private scheduleRetry(why: string, error: unknown): void {
    // ari-client both rejects start() and emits WebSocketMaxRetries: one retry for the two.
    if (this.retryTimer || this.closed) return;
    this.failures += 1;
    const delay = backoffMs(this.failures, FIRST_RETRY_DELAY_MS, this.options.reconnectMaxDelayMs);
    this.options.log.warn(
      { attempt: this.attempts, retryInMs: delay, error: describeError(error, this.secrets) },
      `ARI ${why}; reconnecting`,
    );
    this.retryTimer = setTimeout(() => void this.attempt(), delay);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    if (connected) this.settleFirst?.resolve();
    this.handlers.onConnectedChange(connected);
  }
}
