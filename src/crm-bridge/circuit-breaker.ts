/**
 * A circuit breaker for look-ups a live call waits on.
 *
 *   closed ──(failureThreshold consecutive failures)──► open ──(openMs passed)──► half-open
 *     ▲                                                  ▲                            │
 *     └───────────────(trial succeeds)───────────────────┼────────────────────────────┤
 *                                                        └──────(trial fails)─────────┘
 *
 * While open, calls are refused at once (CircuitOpenError) instead of each waiting out its
 * timeout against a backend known to be failing; half-open lets exactly one trial through.
 */
import { CircuitOpenError } from './errors.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
  onStateChange?: (state: CircuitState) => void;
}

export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.openMs) return 'half-open';
    return this.current;
  }

  /**
   * Runs `task` unless the circuit is open. `counts(err)` says whether an error is the
   * backend's fault (timeouts, 5xx) or not (the caller hung up and aborted).
   */
  async run<T>(what: string, task: () => Promise<T>, counts: (err: unknown) => boolean = () => true): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) {
      throw new CircuitOpenError(what, Math.max(0, this.openedAt + this.options.openMs - this.now()));
    }
    const trial = state === 'half-open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await task();
      this.failures = 0;
      this.set('closed');
      return result;
    } catch (err) {
      if (counts(err)) {
        this.failures++;
        if (trial || this.failures >= this.options.failureThreshold) {
          this.openedAt = this.now();
          this.set('open');
        }
      } else if (trial) {
        this.openedAt = this.now() - this.options.openMs; // not the backend's fault: let the next call be the trial
      }
      throw err;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private set(state: CircuitState): void {
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange?.(state);
  }
}
