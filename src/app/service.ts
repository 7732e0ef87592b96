/**
 * The running service, assembled: Redis, the domain event bus, the call registry on the ARI
 * port, each feature through its wire-<feature>.ts, and the HTTP server. The production entry
 * (main.ts), the demo (demo/) and the integration tests all start it through here, so all
 * three run the same service.
 *
 * Order matters, because answering a call depends on nothing but Asterisk:
 *   1. everything is built without touching Redis (clients connect lazily, in the background);
 *   2. HTTP listens and the call registry starts: calls are answered and the menu runs now,
 *      Redis or not (look-ups fail open, the emergency key needs only Asterisk);
 *   3. parts that need Redis (the ticket bridge) start in the background, retrying until
 *      Redis answers; /readyz says which are not ready and why.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../ari/index.js';
import { authEnvFaults, createUserDirectory } from '../auth/index.js';
import { DomainEventBus, type CallFlowFactory, type CallRegistry } from '../calls/index.js';
import type { ApiToken } from '../config/api-tokens.js';
import { ConfigError } from '../config/config-error.js';
import type { Env } from '../config/env.js';
import type { CrmBridge, TicketBackendClient } from '../crm-bridge/index.js';
import { LiveCallStore } from '../calls/index.js';
import { ApiAuth } from '../http/auth.js';
import { JwtSignIn } from '../http/jwt-sign-in.js';
import { authTokenRoutes } from '../http/routes/auth-token.js';
import { healthRoutes } from '../http/routes/health.js';
import { DEFAULT_OPERATOR_RATE_LIMIT } from '../http/operator-rate-limit.js';
import { buildHttpServer } from '../http/server.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import { createRedis, keyspace, redisAnswers } from '../redis/connection.js';
import type { BackgroundStart } from './background-start.js';
import type { HotlineConfig } from './config-schema.js';
import { Readiness, ariReadiness } from './readiness.js';
import { wireCalls } from './wire-calls.js';
import { wireCrmBridge } from './wire-crm-bridge.js';
import { wireIvr } from './wire-ivr.js';
import { wireAcd, type WiredAcd } from './wire-acd.js';
import { wireEmergency, type WiredEmergency } from './wire-emergency.js';
import { wireCallback, type WiredCallback } from './wire-callback.js';
import { wireSms } from './wire-sms.js';
import type { SmsService } from '../sms/index.js';
import { wireRecording, type WiredRecording } from './wire-recording.js';
import { readRecordingSecrets, type RecordingSecrets } from '../recording/index.js';
import { createDialplanHandoff } from '../ivr/index.js';
import { existsSync } from 'node:fs';
import { webPagesRoutes } from '../http/routes/web-pages.js';
import { webCallSettingsRoutes } from '../http/routes/webcall-settings.js';

export interface HotlineServiceOptions {
  env: Pick<Env, 'REDIS_URL' | 'REDIS_KEY_PREFIX' | 'HTTP_HOST' | 'HTTP_PORT'> &
    Partial<Pick<Env, 'SOUNDS_DIR' | 'OPERATOR_RATE_LIMIT_MAX' | 'OPERATOR_RATE_LIMIT_WINDOW_SECONDS' | 'HTTP_TRUST_PROXY' | 'AUTH_TOKEN_SECRET' | 'AGENT_SIP_SECRET' | 'WEB_DIR'>>;
  config: HotlineConfig;
  ari: AriPort;
  log: Logger;
  /** Picks each call's flow; by default the IVR menu when configured, else the welcome prompt. */
  flows?: CallFlowFactory;
  /** The secrets the crmBridge section names (see readCrmSecrets); required when it is configured. */
  crmSecrets?: Record<string, string>;
  /** The secrets the sms section names (see readSmsSecrets); required when it is configured. */
  smsSecrets?: Record<string, string>;
  /** Bearer tokens of the operator APIs; none: those APIs refuse everyone. */
  apiTokens?: ApiToken[];
  /** The secrets the recording section names; read from the environment when absent. */
  recordingSecrets?: RecordingSecrets;
  /** The screen pop's ticket look-ups instead of the bridge's (crmBridge.lookup): a test's or a demo's in-memory backend. */
  ticketLookups?: TicketBackendClient;
  /**
   * Resolves once this instance may drive the ARI app (it holds the app lease); until then
   * nothing that rings phones runs here (routing, the callback and survey dialers): a standby
   * would ring agents for calls it cannot hear. Absent: at once.
   */
  appHeld?: Promise<void>;
}

export interface HotlineService {
  readonly http: FastifyInstance;
  /** Base URL the HTTP server listens on. */
  readonly url: string;
  readonly calls: CallRegistry;
  readonly bus: DomainEventBus;
  readonly redis: Redis;
  readonly metrics: Registry;
  readonly readiness: Readiness;
  /** Present when the hotline config has a crmBridge section. */
  readonly crmBridge?: CrmBridge;
  /** Present when the hotline config has an acd section. */
  readonly acd?: WiredAcd;
  /** Present when the hotline config has a satisfactionCallback section. */
  readonly survey?: WiredCallback['survey'];
  /** Present when the hotline config has an sms section. */
  readonly sms?: SmsService;
  /** Present when the hotline config has a recording section. */
  readonly recording?: WiredRecording;
  /** Resolves once every part that needs Redis has started (it may wait for Redis to come back). */
  readonly started: Promise<void>;
  /** Stops taking calls, lets live ones finish for `graceMs`, then closes everything. */
  shutdown(graceMs: number): Promise<void>;
  /**
   * Stops at once without touching a call (no hang-up, no hand-back to the dialplan): the
   * ARI socket closes first, so the calls stay in the app for the standby that takes it next
   * and adopts them. For a rolling restart with a standby waiting, and for stopping a standby (wire-app-lease.ts).
   */
  handOver(): Promise<void>;
}

export async function startHotlineService(options: HotlineServiceOptions): Promise<HotlineService> {
  const { env, config, ari, log } = options;
  // People sign in with the identity provider or the config's users; machines keep API_TOKENS.
  const authFaults = authEnvFaults(config.auth, env.AUTH_TOKEN_SECRET);
  if (authFaults.length) throw new ConfigError('environment', authFaults);
  const users = createUserDirectory(config.auth?.users ?? []);
  const signIn = config.auth ? new JwtSignIn({ config: config.auth, users, userTokenSecret: env.AUTH_TOKEN_SECRET, log: log.child({ part: 'sign-in' }) }) : undefined;
  const redis = createRedis({ url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX, log, name: 'service' });
  const keys = keyspace(env.REDIS_KEY_PREFIX);
  const bus = new DomainEventBus(log.child({ part: 'bus' }));
  const metrics = createMetricsRegistry();
  const auth = new ApiAuth(options.apiTokens ?? [], log.child({ part: 'api-auth' }), { signIn });
  const readiness = new Readiness();
  const plugins: FastifyPluginAsync[] = [];
  if (signIn?.issuesUserTokens) plugins.push(authTokenRoutes({ users, signIn }));

  // Subscribed to the bus from here on, before any call: no event goes unrecorded.
  const crm = config.crmBridge
    ? wireCrmBridge({
        config: config.crmBridge,
        redisUrl: env.REDIS_URL,
        keyPrefix: env.REDIS_KEY_PREFIX,
        bus,
        log,
        secrets: options.crmSecrets ?? {},
        registry: metrics,
        auth,
      })
    : undefined;
  if (crm) plugins.push(...crm.routes);

  // Texts to citizens: the acceptance SMS on the bridge's ticket.created, ticket.sms back onto the bus.
  const sms = config.sms
    ? wireSms({
        config: config.sms,
        redisUrl: env.REDIS_URL,
        keyPrefix: env.REDIS_KEY_PREFIX,
        bus,
        log,
        secrets: options.smsSecrets ?? {},
        registry: metrics,
        auth,
        hotlineNumbers: config.hotline.numbers.map((n) => n.number),
        calendar: config.calendar,
        ticketEvents: crm?.bridge.ticketEvents,
      })
    : undefined;
  if (sms) plugins.push(...sms.routes);

  // Every call recorded from its answer; the archive keeps it. Never in the way of answering.
  const recording = config.recording ? wireRecording({ config: config.recording, secrets: recordingSecrets(config.recording, options.recordingSecrets), ari, bus, redis, keyPrefix: env.REDIS_KEY_PREFIX, log, metrics, auth }) : undefined;
  if (recording) plugins.push(...recording.routes);

  // The ACD keeps callers from the IVR's queue nodes to an agent; built without touching Redis.
  const acd = config.acd
    ? wireAcd({
        config: config.acd,
        redisUrl: env.REDIS_URL,
        keyPrefix: env.REDIS_KEY_PREFIX,
        ari,
        bus,
        log,
        auth,
        metrics,
        agentSipSecret: env.AGENT_SIP_SECRET,
        calendar: config.calendar,
        emergencyRoutes: Object.entries(config.emergency?.routes ?? {}).map(([route, r]) => ({ route, label: r.label })),
        screenPop: {
          records: new LiveCallStore(redis, keys, log.child({ part: 'screen-pop' }), { endedTtlSeconds: config.calls.endedRecordTtlSeconds }),
          lookups: options.ticketLookups ?? (crm?.bridge.config.lookup ? crm.bridge.ticketClient : undefined),
        },
      })
    : undefined;
  if (acd) plugins.push(...acd.routes);

  let flows = options.flows;
  let emergency: WiredEmergency | undefined;
  if (!flows && config.ivr) {
    const dialplan = createDialplanHandoff({ context: config.ivr.dialplan.context });
    const queuePort = acd ? acd.queuePort(dialplan.queue) : dialplan.queue;
    // The linkage dials the emergency centres itself; the dialplan's emergency extension stays for when the service is away.
    const agentQueue = config.emergency?.agentQueue;
    emergency = config.emergency
      ? wireEmergency({
          config: config.emergency,
          ari,
          log,
          metrics,
          failedPrompt: config.ivr.emergency.failedPrompt,
          queue: agentQueue ? { port: queuePort, skill: config.acd?.queues[agentQueue]?.skill ?? agentQueue } : undefined,
        })
      : undefined;
    const ports = {
      ...dialplan,
      queue: queuePort,
      ...(acd ? { callbackRequest: acd.callbackRequestPort(dialplan.callbackRequest) } : {}),
      ...(emergency ? { emergency: emergency.port } : {}),
    };
    const ivr = wireIvr({ config, redis, keys, log, auth, metrics, ticketStatus: crm?.bridge.ticketClient, soundsDir: env.SOUNDS_DIR, ports });
    flows = ivr.flows;
    plugins.push(...ivr.routes);
  }

  // Satisfaction surveys after ticket.closed: their calls run through the registry like any call.
  const survey = config.satisfactionCallback
    ? wireCallback({ config: config.satisfactionCallback, hotline: config, redis, keyPrefix: env.REDIS_KEY_PREFIX, ari, bus, log, metrics, auth, acd, emergency, ticketEvents: crm?.bridge.ticketEvents, sms: sms?.sms })
    : undefined;
  if (survey) plugins.push(...survey.routes);

  const { calls, stopMetrics } = wireCalls({ config, ari, bus, redis, keys, log, metrics, flows });
  recording?.attach(calls, crm?.bridge.ticketEvents);
  // Before the first call: the linkage hears its legs to the centres through the registry.
  emergency?.start(calls);
  // Agents put callers through to the same routes.
  if (emergency) acd?.engine.useEmergency(emergency.linkage);
  if (!options.appHeld) survey?.start(calls);

  readiness.add('ari', () => ariReadiness(ari));
  readiness.add('redis', async () => ((await redisAnswers(redis, 500)) ? { ok: true } : { ok: false, reason: `Redis does not answer (${redis.status})` }));
  readiness.add('accepting', () => (calls.isDraining ? { ok: false, reason: 'draining: no new calls' } : { ok: true }));
  if (crm) readiness.add('crm-bridge', () => crm.readiness());
  if (sms) readiness.add('sms', () => sms.readiness());
  if (recording) readiness.add('recording', () => recording.readiness());
  plugins.unshift(healthRoutes({ readiness, metrics }));
  // The citizens' web-call page reads where to call (public; says "off" without a webCall section).
  plugins.push(webCallSettingsRoutes(config.webCall));
  // The browser pages, when built (npm run build); the API works without them.
  const webDir = env.WEB_DIR ?? 'web/dist';
  if (existsSync(webDir)) plugins.push(webPagesRoutes(webDir));
  else log.info({ webDir }, 'browser pages not built: /app/ not served');

  const http = await buildHttpServer({
    log,
    plugins,
    operatorRateLimit: {
      max: env.OPERATOR_RATE_LIMIT_MAX ?? DEFAULT_OPERATOR_RATE_LIMIT.max,
      timeWindowMs: (env.OPERATOR_RATE_LIMIT_WINDOW_SECONDS ?? DEFAULT_OPERATOR_RATE_LIMIT.timeWindowMs / 1000) * 1000,
    },
    trustProxy: env.HTTP_TRUST_PROXY?.split(',').map((s) => s.trim()).filter(Boolean),
    signIn,
  });
  const url = await http.listen({ host: env.HTTP_HOST, port: env.HTTP_PORT });
  calls.start();
  if (!options.appHeld) acd?.start(calls);
  // A standby: its dialers start with the app, before its ARI connects and adopts the calls.
  else void options.appHeld.then(() => {
    if (stopping) return;
    survey?.start(calls);
    acd?.start(calls);
  });
  const background: BackgroundStart[] = crm ? [crm.start()] : [];
  if (sms) background.push(sms.start());
  const recordingStart = recording?.start();
  if (recordingStart) background.push(recordingStart);
  const started = Promise.all(background.map((b) => b.done)).then(() => undefined);
  log.info({ url, app: ari.app, ivr: Boolean(config.ivr && !options.flows), acd: Boolean(acd), crmBridge: Boolean(crm) }, 'hotline service started');

  let stopping: Promise<void> | undefined;
  /** What every way of stopping does: no more figures, background starts, HTTP or sign-ins; the events so far reach the outbox, the bridge's sink leases given back. */
  const stopServing = async (): Promise<void> => {
    stopMetrics();
    for (const b of background) b.cancel();
    await http.close();
    auth.flush();
    // Before the bridge: the last ticket.sms events still reach its outbox.
    await sms?.sms.stop();
    await crm?.bridge.stop();
  };
  const shutdown = (graceMs: number): Promise<void> =>
    (stopping ??= (async () => {
      log.info({ graceMs, activeCalls: calls.size }, 'shutting down: no new calls');
      await calls.drain(graceMs);
      calls.stop();
      await stopServing();
      await acd?.stop();
      survey?.stop();
      emergency?.stop();
      await recording?.stop();
      await ari.close();
      await redis.quit().catch(() => redis.disconnect());
      log.info('shutdown complete');
    })());

  const handOver = (): Promise<void> =>
    (stopping ??= (async () => {
      log.info({ activeCalls: calls.size }, 'stopping without touching a call: live calls stay in the app for the instance that holds it next');
      // First no event reaches a call and no request reaches Asterisk: from here this process
      // cannot touch a channel the next holder adopts.
      calls.stop();
      await ari.close();
      await acd?.engine.stop();
      survey?.stop();
      await stopServing();
      await redis.quit().catch(() => redis.disconnect());
      log.info('hand-over complete');
    })());

  return { http, url, calls, bus, redis, metrics, readiness, crmBridge: crm?.bridge, acd, survey: survey?.survey, recording, sms: sms?.sms, started, shutdown, handOver };
}

/** The recording section's secrets: given, or from the environment; a missing one refuses to start. */
function recordingSecrets(config: NonNullable<HotlineConfig['recording']>, given: RecordingSecrets | undefined): RecordingSecrets {
  if (given) return given;
  const { secrets, faults } = readRecordingSecrets(config, process.env);
  if (faults.length) throw new ConfigError('environment', faults.map((f) => ({ path: f.path.join('.'), reason: f.message })));
  return secrets;
}
