/**
 * Wires call recording: the archive (storage, digests, manifest, retention, audited access
 * routes) and the capture on Asterisk that hands each finished call recording to it, the
 * pause/resume routes for agents, tickets linked to recordings as the ticket backend creates them, what a stopped
 * service left handed over again (in the background: it needs Redis), and its readiness.
 * Answering a call never waits on any of it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../ari/index.js';
import type { CallRegistry, DomainEventBus } from '../calls/index.js';
import type { TicketEventHub } from '../crm-bridge/index.js';
import type { ApiAuth } from '../http/auth.js';
import { recordingPauseRoutes } from '../http/routes/recording-pause.js';
import { recordingRoutes } from '../http/routes/recordings.js';
import { createCallCapture, createRecordingArchive, type CallCapture, type RecordingConfig, type RecordingSecrets, type WiredRecordingArchive } from '../recording/index.js';
import { startInBackground, type BackgroundStart } from './background-start.js';
import type { CheckResult } from './readiness.js';

export interface WiredRecording {
  archive: WiredRecordingArchive;
  /** Absent when `recording.capture.enabled` is false (a lab without recording). */
  capture?: CallCapture;
  routes: FastifyPluginAsync[];
  /** Before the registry starts: the capture hears every call from its answer. */
  attach(registry: CallRegistry, tickets?: Pick<TicketEventHub, 'on'>): void;
  start(): BackgroundStart | undefined;
  readiness(): CheckResult;
  stop(): Promise<void>;
}

export function wireRecording(deps: {
  config: RecordingConfig;
  secrets: RecordingSecrets;
  ari: AriPort;
  bus: DomainEventBus;
  redis: Redis;
  keyPrefix: string;
  log: Logger;
  metrics: Registry;
  auth: ApiAuth;
}): WiredRecording {
  const archive = createRecordingArchive({ config: deps.config, redis: deps.redis, keyPrefix: deps.keyPrefix, secrets: deps.secrets, registry: deps.metrics, log: deps.log });
  const capture = deps.config.capture.enabled
    ? createCallCapture({ config: deps.config.capture, ari: deps.ari, bus: deps.bus, redis: deps.redis, keyPrefix: deps.keyPrefix, sink: archive.sink, registry: deps.metrics, log: deps.log })
    : undefined;
  const routes: FastifyPluginAsync[] = [recordingRoutes({ access: archive.access, auth: deps.auth })];
  if (capture) routes.push(recordingPauseRoutes({ recorder: capture.recorder, auth: deps.auth }));
  let starting: BackgroundStart | undefined;
  let unfollow: (() => void) | undefined;
  return {
    archive,
    capture,
    routes,
    attach(registry, tickets) {
      capture?.attach(registry);
      if (tickets) unfollow = archive.followTickets(tickets);
    },
    start() {
      // Retention and the integrity audit on their periods; what a stopped service left, handed over.
      archive.start();
      return capture ? (starting ??= startInBackground('recording-capture', () => capture.recover(), deps.log)) : undefined;
    },
    readiness() {
      if (capture && !starting?.started) return starting?.check() ?? { ok: false, reason: 'recording capture not started' };
      return { ok: true };
    },
    async stop() {
      starting?.cancel();
      unfollow?.();
      capture?.stop();
      await archive.stop();
    },
  };
}
