/**
 * Builds the archive from its config section: the storage adapter, the Redis index, the
 * archive (the capture's RecordingSink), legal holds and disposal, the retention sweeper,
 * the integrity audit, and the access service with its hash-chained log (what the HTTP
 * routes serve). Nothing here touches Redis or the storage until used; `start` starts the
 * two timers (sweeper, audit).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TicketEventHub } from '../crm-bridge/ticket-event-hub.js';
import { RecordingAccess } from './access.js';
import { AccessLog } from './access-log.js';
import { RecordingArchive } from './archive.js';
import type { RecordingConfig, RecordingSecrets } from './config-schema.js';
import { RecordingDisposal } from './disposal.js';
import { RecordingIndex } from './index-store.js';
import { IntegrityAudit, type RecordingAlarm } from './integrity-audit.js';
import { recordingKeys } from './keys.js';
import { createRecordingMetrics, type RecordingMetrics } from './metrics.js';
import type { RecordingStorage } from './ports/recording-storage.js';
import type { RecordingSink } from './recording-sink.js';
import { reindex, type ReindexReport } from './reindex.js';
import { createStorage, stagingDirOf } from './storage/create-storage.js';
import { RetentionSweeper } from './sweeper.js';

export interface RecordingArchiveFactoryDeps {
  config: RecordingConfig;
  /** The service's Redis client (commands fail fast when Redis is away). */
  redis: Redis;
  keyPrefix: string;
  /** From readRecordingSecrets(config, process.env). */
  secrets: RecordingSecrets;
  registry: Registry;
  log: Logger;
  /** A recording whose bytes no longer match its manifest, or whose audio is gone (besides the error log line and the metric). */
  onAlarm?: (alarm: RecordingAlarm) => void;
  /** Another store than the config's (tests). */
  storage?: RecordingStorage;
  /** Where recordings are staged while digested, with `storage`. */
  stagingDir?: string;
  now?: () => Date;
}

export interface WiredRecordingArchive {
  /** What the capture hands finished recordings to. */
  sink: RecordingSink;
  archive: RecordingArchive;
  storage: RecordingStorage;
  /** What the HTTP routes serve (src/http/routes/recordings.ts). */
  access: RecordingAccess;
  accessLog: AccessLog;
  disposal: RecordingDisposal;
  sweeper: RetentionSweeper;
  audit: IntegrityAudit;
  metrics: RecordingMetrics;
  /** Links a ticket to the call's recording (now, or when the recording arrives). */
  linkTicket(callId: string, ticketNumber: string): Promise<'linked' | 'pending'>;
  /** Subscribes linkTicket to ticket.created on the ticket bridge's hub; returns the unsubscribe. */
  followTickets(hub: Pick<TicketEventHub, 'on'>): () => void;
  /** Rebuilds the Redis index from the manifests in storage. */
  reindex(): Promise<ReindexReport>;
  /** Starts the retention sweeper and the integrity audit on the config's periods. */
  start(): void;
  stop(): Promise<void>;
}

export function createRecordingArchive(deps: RecordingArchiveFactoryDeps): WiredRecordingArchive {
  const { config, log } = deps;
  const part = log.child({ part: 'recording-archive' });
  const now = deps.now ?? (() => new Date());
  const storage = deps.storage ?? createStorage(config.storage, deps.secrets);
  const keys = recordingKeys(deps.keyPrefix);
  const index = new RecordingIndex(deps.redis, keys);
  const metrics = createRecordingMetrics(deps.registry);
  const stagingDir = deps.stagingDir ?? stagingDirOf(config.storage);
  const archive = new RecordingArchive({
    storage,
    index,
    retentionYears: config.retention.years,
    numberKey: deps.secrets.numberKey,
    stagingDir,
    metrics,
    log: part,
    manifestLock: { redis: deps.redis, keyOf: keys.manifestLock },
    now,
  });
  const disposal = new RecordingDisposal(archive, storage, now);
  const sweeper = new RetentionSweeper({ disposal, index, redis: deps.redis, keys, retentionYears: config.retention.years, action: config.retention.action, metrics, log: part, now });
  const audit = new IntegrityAudit({ archive, storage, index, metrics, log: part, onAlarm: deps.onAlarm });
  const accessLog = new AccessLog(deps.redis, keys, now);
  const access = new RecordingAccess({ config: config.access, archive, storage, index, disposal, audit, log: accessLog, metrics });
  return {
    sink: archive,
    archive,
    storage,
    access,
    accessLog,
    disposal,
    sweeper,
    audit,
    metrics,
    linkTicket: (callId, ticketNumber) => archive.linkTicket(callId, ticketNumber),
    followTickets(hub) {
      // Idempotent by nature (a ticket already linked is not linked twice), as the hub requires.
      return hub.on('ticket.created', async (event) => {
        if (event.data.callId) await archive.linkTicket(event.data.callId, event.data.ticketNumber);
      });
    },
    reindex: () => reindex(storage, index),
    start() {
      sweeper.start(config.retention.sweepEveryMinutes * 60_000);
      audit.start(config.audit.everyMinutes * 60_000, config.audit.sampleSize);
    },
    async stop() {
      sweeper.stop();
      audit.stop();
      metrics.unregister();
    },
  };
}
