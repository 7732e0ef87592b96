/**
 * Builds the call recorder with its parts: the Redis entries of recordings not handed over,
 * the hand-over to the archive, where the files are read from, and the figures.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../../ari/index.js';
import type { CallRegistry, DomainEventBus } from '../../calls/index.js';
import type { RecordingSink } from '../recording-sink.js';
import { CallRecorder } from './call-recorder.js';
import type { CaptureConfig } from './config-schema.js';
import { recordingFileSource } from './file-source.js';
import { Handover } from './handover.js';
import { captureKeys } from './keys.js';
import { createCaptureMetrics } from './metrics.js';
import { PendingStore } from './pending-store.js';

export interface CallCapture {
  recorder: CallRecorder;
  /** Hears the calls from now on; call before the registry starts. */
  attach(registry: CallRegistry): void;
  /** Picks up what a stopped service left (needs Redis: run in the background, retried). */
  recover(): Promise<void>;
  /** Hand-overs still running (their files wait on Asterisk). */
  pendingHandovers(): number;
  stop(): void;
}

export function createCallCapture(deps: {
  config: CaptureConfig;
  ari: AriPort;
  bus: DomainEventBus;
  redis: Redis;
  keyPrefix: string;
  sink: RecordingSink;
  registry: Registry;
  log: Logger;
}): CallCapture {
  const log = deps.log.child({ part: 'recording-capture' });
  const metrics = createCaptureMetrics(deps.registry);
  const store = new PendingStore(deps.redis, captureKeys(deps.keyPrefix), log);
  let recorder: CallRecorder | undefined;
  const handover = new Handover({
    ari: deps.ari,
    sink: deps.sink,
    store,
    open: recordingFileSource(deps.ari, deps.config.fetch),
    bus: deps.bus,
    config: deps.config,
    metrics,
    log,
    archived: (p, ref) => recorder?.archived(p, ref),
  });
  recorder = new CallRecorder({ ari: deps.ari, bus: deps.bus, config: deps.config, store, handover, metrics, log });
  let detach: (() => void) | undefined;
  return {
    recorder,
    attach(registry) {
      detach = recorder.attach(registry);
    },
    recover: () => recorder.recover(),
    pendingHandovers: () => handover.pendingCount,
    stop() {
      detach?.();
      handover.stop();
      metrics.unregister();
    },
  };
}
