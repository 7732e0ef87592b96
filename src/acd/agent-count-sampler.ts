/**
 * Reads the agents-by-state counts from Redis in the background, so metrics and the
 * wallboard answer from memory whether Redis is quick, slow or away. A failed read keeps
 * the last sample (its age says how stale it is).
 */
import type { Logger } from 'pino';
import type { AgentStateKind } from './agent-state.js';

export class AgentCountSampler {
  private last: { counts: Record<AgentStateKind, number>; at: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly read: () => Promise<Record<AgentStateKind, number>>,
    private readonly everyMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The last counts read, or null before the first read answered. */
  counts(): Record<AgentStateKind, number> | null {
    return this.last?.counts ?? null;
  }

  ageMs(now = Date.now()): number | null {
    return this.last ? now - this.last.at : null;
  }

  async sample(): Promise<void> {
    try {
      this.last = { counts: await this.read(), at: Date.now() };
    } catch (err) {
      this.log.warn({ err }, 'agent counts not read from Redis; the last sample stays');
    }
  }
}
