/**
 * Puts the live figures into the history once a minute. Each instance looks every
 * `checkEveryMs` at its last figures (read every 2 s anyway: sampling costs no read) and
 * offers them for their minute; the store keeps the first offer of each minute, so the
 * instances together leave one sample per minute, and any one of them keeps the history
 * going while the others are down. Figures older than `freshMs` are not offered: a minute
 * when Redis was away stays empty rather than holding stale figures.
 */
import type { Logger } from 'pino';
import { FailureStreak } from '../../shared/failure-streak.js';
import { historySampleOf } from './history-sample.js';
import type { HistoryStore } from './history-store.js';
import type { LiveSnapshot } from './live-stats.js';

export interface HistorySamplerOptions {
  store: Pick<HistoryStore, 'add'>;
  /** The instance's last figures (AcdStats.snapshot). */
  snapshot: () => LiveSnapshot | null;
  log: Logger;
  now?: () => number;
  /** How often the sampler looks (default 15 s: a minute gets its sample within its first quarter). */
  checkEveryMs?: number;
  /** Figures read longer ago than this are not sampled (default 10 s). */
  freshMs?: number;
}

export class HistorySampler {
  private timer: NodeJS.Timeout | null = null;
  private lastSlot = -1;
  private readonly failures = new FailureStreak(60_000);

  constructor(private readonly options: HistorySamplerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.options.checkEveryMs ?? 15_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Offers the figures now for their minute; true when this instance stored that minute's sample. */
  async sample(): Promise<boolean> {
    const snapshot = this.options.snapshot();
    const now = (this.options.now ?? Date.now)();
    if (!snapshot || now - snapshot.at > (this.options.freshMs ?? 10_000)) return false;
    const sample = historySampleOf(snapshot);
    // This instance's minute is settled (stored here or elsewhere): no more offers for it.
    if (sample.at === this.lastSlot) return false;
    try {
      const stored = await this.options.store.add(sample);
      this.lastSlot = sample.at;
      this.failures.succeeded();
      return stored;
    } catch (err) {
      if (this.failures.failed(err)) this.options.log.warn({ err, failingInARow: this.failures.streak }, 'the live figures were not put into the history; the next look tries again');
      return false;
    }
  }
}
