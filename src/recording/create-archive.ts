/**
 * Builds the archive from its config section: the storage adapter, the Redis index, the
 * archive (the capture's RecordingSink), the sweeper, the integrity audit and the access
 * service with its hash-chained log. Nothing here touches Redis or the storage until used.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TicketEventHub } from '../crm-bridge/ticket-event-hub.js';
import { RecordingArchive } from './archive.js';
import type { RecordingConfig, RecordingSecrets } from './config-schema.js';
import { RecordingIndex } from './index-store.js';
import { recordingKeys } from './keys.js';
import { createRecordingMetrics, type RecordingMetrics } from './metrics.js';
import type { RecordingStorage } from './ports/recording-storage.js';
import type { RecordingSink } from './recording-sink.js';
import { reindex, type ReindexReport } from './reindex.js';
import { createStorage, stagingDirOf } from './storage/create-storage.js';

export interface RecordingArchiveFactoryDeps {
  config: RecordingConfig;
  /** The service's Redis client (commands fail fast when Redis is away). */
  redis: Redis;
  keyPrefix: string;
  /** From readRecordingSecrets(config, process.env). */
  secrets: RecordingSecrets;
  registry: Registry;
  log: Logger;
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
  metrics: RecordingMetrics;
  /** Links a ticket to the call's recording (now, or when the recording arrives). */
  linkTicket(callId: string, ticketNumber: string): Promise<'linked' | 'pending'>;
  /** Subscribes linkTicket to ticket.created on the ticket bridge's hub; returns the unsubscribe. */
  followTickets(hub: Pick<TicketEventHub, 'on'>): () => void;
  /** Rebuilds the Redis index from the manifests in storage. */
  reindex(): Promise<ReindexReport>;
  stop(): Promise<void>;
}

export function createRecordingArchive(deps: RecordingArchiveFactoryDeps): WiredRecordingArchive {
  const { config, log } = deps;
  const part = log.child({ part: 'recording-archive' });
  const storage = deps.storage ?? createStorage(config.storage, deps.secrets);
  const index = new RecordingIndex(deps.redis, recordingKeys(deps.keyPrefix));
  const metrics = createRecordingMetrics(deps.registry);
  const stagingDir = deps.stagingDir ?? stagingDirOf(config.storage);
  const archive = new RecordingArchive({ storage, index, retentionYears: config.retention.years, numberKey: deps.secrets.numberKey, stagingDir, metrics, log: part, now: deps.now });
  return {
    sink: archive,
    archive,
    storage,
    metrics,
    linkTicket: (callId, ticketNumber) => archive.linkTicket(callId, ticketNumber),
    followTickets(hub) {
      // Idempotent by nature (a ticket already linked is not linked twice), as the hub requires.
      return hub.on('ticket.created', async (event) => {
        if (event.data.callId) await archive.linkTicket(event.data.callId, event.data.ticketNumber);
      });
    },
    reindex: () => reindex(storage, index),
    async stop() {
      metrics.unregister();
    },
  };
}
