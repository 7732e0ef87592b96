/**
 * Routing passes: picks calls and agents (one script per pick) and hands each pair to the
 * offerer, until no waiting call of any queue has an agent now. A pass runs when something
 * may have changed (a call queued, an agent ready) and on a short tick, for waits that
 * widen with time and for changes another instance made. One pass at a time per instance;
 * a kick during a pass runs one more after it. Instances pass concurrently: the script
 * keeps their picks apart.
 */
import type { Logger } from 'pino';
import { FailureStreak } from '../../shared/failure-streak.js';
import { SerialPasses } from '../../shared/serial-passes.js';
import type { PickedCall, Router } from '../router.js';

export class Dispatcher {
  private readonly passes = new SerialPasses(() => this.pass());
  private timer: NodeJS.Timeout | null = null;
  /** Redis away: the first failure of an outage is logged, then one line per 10 s. */
  private readonly failures = new FailureStreak(10_000);

  constructor(
    private readonly router: Pick<Router, 'pick'>,
    private readonly queues: readonly string[],
    private readonly offer: (picked: PickedCall) => void,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly tickMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.tickMs);
    this.timer.unref();
    this.kick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  kick(): void {
    this.passes.kick();
  }

  private async pass(): Promise<void> {
    for (const queue of this.queues) {
      try {
        for (let picked = await this.router.pick(queue, this.now()); picked; picked = await this.router.pick(queue, this.now())) this.offer(picked);
        this.failures.succeeded();
      } catch (err) {
        // Redis away: callers keep waiting (and leave by their overflow); one line per 10 s.
        if (this.failures.failed(err)) this.log.warn({ err, queue, failingInARow: this.failures.streak }, 'routing pass failed; retrying on the next tick');
        return;
      }
    }
  }
}
