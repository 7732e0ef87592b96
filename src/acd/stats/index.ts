/**
 * The ACD's live statistics, per queue and for the centre: recorded in Redis by every
 * instance (StatsRecorder), read back in the background (StatsReader, LastGoodSample), and
 * served from memory to /metrics and the supervisors' wallboard (src/http/routes/acd-live.ts).
 * While a wallboard watches (an onChange listener), a change (notify) is read at once, not at
 * the next tick: the first read starts after a short pause that gathers a burst (an answer
 * changes an agent and a counter together), and changes made while a read is under way are
 * read again after it, since that read may have missed them. However many changes come,
 * reads for them start at most once per `notifyEveryMs`: under load every call changes an
 * agent or a counter several times, and a read per change cost more than the calls. With no
 * listener a change reads nothing: nobody would be told, and /metrics and /acd/stats answer
 * from the background sample. Once a minute the figures go into the history
 * (history-sampler.ts).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { LastGoodSample } from '../../shared/last-good-sample.js';
import type { AcdConfig } from '../config-schema.js';
import { acdKeys } from '../keys.js';
import { statsKeys } from './keys.js';
import type { LiveSnapshot } from './live-stats.js';
import { createAcdStatsMetrics } from './metrics.js';
import { StatsReader } from './stats-reader.js';
import { StatsRecorder } from './stats-recorder.js';
import { HistorySampler } from './history-sampler.js';
import { HistoryStore } from './history-store.js';
import { withTimeout } from '../../shared/with-timeout.js';

export { StatsRecorder, type StatsRecorderOptions } from './stats-recorder.js';
export { StatsReader, type StatsReaderOptions } from './stats-reader.js';
export { liveSnapshot, NO_AGENTS, type LiveSnapshot, type QueueFigures, type AgentFigures, type LiveInputs, type QueueInputs, type WaitingNow } from './live-stats.js';
export { LiveSnapshotSchema, QueueFiguresSchema } from './snapshot-schema.js';
export { dayCountersOf, NO_COUNTS, type DayCounters } from './day-counters.js';
export { statsKeys, DAY_COUNTERS_TTL_SECONDS, type StatsKeys } from './keys.js';
export { createAcdStatsMetrics, type AcdStatsMetrics } from './metrics.js';
export { HistoryStore, type HistoryStoreOptions } from './history-store.js';
export { HistorySampler, type HistorySamplerOptions } from './history-sampler.js';
export { historySampleOf, withArrivals, slotOf, HISTORY_SLOT_MS, type HistorySample, type HistoryPoint, type HistoryFigures } from './history-sample.js';
export { erlangC, serviceLevel, averageSpeedOfAnswer, forecastBreach, type QueueModel, type BreachForecast, type BreachForecastInput } from './erlang-c.js';

export interface AcdStatsOptions {
  redis: Redis;
  /** The service's key prefix (the ACD's keys live under `<prefix>acd:`). */
  keys: string;
  config: AcdConfig;
  log: Logger;
  registry: Registry;
  /** Callback requests not yet done (the callback feature's count, from its memory); null while not known. */
  callbacksPending?: () => number | null;
  /** How often the figures are read from Redis (default 2000 ms). */
  sampleEveryMs?: number;
  /** The centre's time zone: "today" runs from its local midnight (default Asia/Shanghai). */
  timeZone?: string;
  /** notify() reads again after this long, however many times it was called meanwhile (default 25 ms). */
  notifyDebounceMs?: number;
  /** Reads for notify() start at most this often, however many changes come (default 250 ms). */
  notifyEveryMs?: number;
  /** Called after each recording stored here (the other instances are told: src/acd/live-changes). */
  onRecorded?: () => void;
}

export interface AcdStats {
  recorder: StatsRecorder;
  /** The last figures read, or null before the first read answered. */
  snapshot(): LiveSnapshot | null;
  /** Reads the figures now (never throws: a failed read keeps the last ones). */
  refresh(): Promise<void>;
  /** Something changed (an agent's state, a call): read again soon and tell onChange listeners (none: nothing to do). */
  notify(): void;
  /** Called with the new figures after each read notify() asked for; returns the unsubscribe. */
  onChange(listener: (snapshot: LiveSnapshot) => void): () => void;
  /** The figures' history, a sample per minute shared by every instance. */
  history: Pick<HistoryStore, 'read' | 'retentionMs'>;
  start(): void;
  stop(): void;
}

export function createAcdStats(options: AcdStatsOptions): AcdStats {
  const { redis, config, registry, sampleEveryMs = 2000, timeZone = 'Asia/Shanghai', notifyDebounceMs = 25, notifyEveryMs = 250 } = options;
  const log = options.log.child({ part: 'acd-stats' });
  const reader = new StatsReader({ redis, acdKeys: acdKeys(options.keys), statsKeys: statsKeys(options.keys), config, timeZone });
  const sample = new LastGoodSample<LiveSnapshot>({
    read: () => reader.read(Date.now(), callbacksPending()),
    everyMs: sampleEveryMs,
    log,
    what: 'ACD live statistics',
  });
  /** The figures read for notify(), when newer than the background sample's. */
  let pushed: LiveSnapshot | null = null;
  const latest = (): LiveSnapshot | null => {
    const sampled = sample.value();
    return pushed && (!sampled || pushed.at > sampled.at) ? pushed : sampled;
  };
  const metrics = createAcdStatsMetrics(registry, latest);
  const listeners = new Set<(snapshot: LiveSnapshot) => void>();
  let notifyTimer: NodeJS.Timeout | null = null;
  /** When the last read for notify() started (performance.now()). */
  let lastReadStartedAt = Number.NEGATIVE_INFINITY;
  let reading = false;
  let changedWhileReading = false;
  let stopped = false;
  const historyStore = new HistoryStore({ redis, keys: statsKeys(options.keys), retentionMs: (config.statsHistory?.retentionHours ?? 24) * 3_600_000 });
  const sampler = new HistorySampler({ store: historyStore, snapshot: latest, log });

  function callbacksPending(): number | null {
    if (!options.callbacksPending) return null;
    try {
      return options.callbacksPending();
    } catch (err) {
      log.warn({ err }, 'callbacks pending not known; left out of the figures');
      return null;
    }
  }

  /** A read of its own: the background sample's read in flight may have started before the change. */
  async function readAndTell(): Promise<void> {
    notifyTimer = null;
    reading = true;
    lastReadStartedAt = performance.now();
    let snapshot: LiveSnapshot | null = null;
    try {
      snapshot = await withTimeout(reader.read(Date.now(), callbacksPending()), 2000, 'ACD live statistics after a change');
    } catch (err) {
      log.debug({ err }, 'the figures were not read after a change; the next tick reads them');
    } finally {
      reading = false;
    }
    if (stopped) return;
    if (changedWhileReading) {
      // Read again as soon as the window allows: the change waited for this read already.
      changedWhileReading = false;
      notify(0);
    }
    if (!snapshot) return;
    if (!pushed || snapshot.at > pushed.at) pushed = snapshot;
    for (const listener of listeners) {
      try {
        listener(snapshot);
      } catch (err) {
        log.warn({ err }, 'a live statistics listener failed');
      }
    }
  }

  function notify(delayMs = notifyDebounceMs): void {
    if (stopped || listeners.size === 0) return;
    if (reading) {
      changedWhileReading = true;
      return;
    }
    if (notifyTimer) return;
    const wait = Math.max(delayMs, lastReadStartedAt + notifyEveryMs - performance.now());
    notifyTimer = setTimeout(() => void readAndTell(), wait);
    notifyTimer.unref();
  }

  const recorder = new StatsRecorder({
    redis,
    keys: statsKeys(options.keys),
    config,
    timeZone,
    log,
    onFailure: () => metrics.recordFailed(),
    onRecorded: () => {
      notify();
      options.onRecorded?.();
    },
  });

  return {
    recorder,
    snapshot: latest,
    history: historyStore,
    refresh: async () => {
      await sample.refresh();
    },
    notify: () => notify(),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      stopped = false;
      sample.start();
      sampler.start();
    },
    stop() {
      stopped = true;
      sample.stop();
      sampler.stop();
      if (notifyTimer) clearTimeout(notifyTimer);
      notifyTimer = null;
      listeners.clear();
      // Its gauges would go on serving a stopped sample, and a new start on this registry could not register them.
      metrics.unregister();
    },
  };
}
