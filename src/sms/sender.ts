/**
 * The sender loop: claims due texts from the outbox (under a lease), submits them to the
 * gateway, and records each result before anything else is told of it.
 *
 *   submitted            → recorded with the gateway's ids; reported `submitted`
 *   permanent failure    → recorded `rejected`, reported once, never tried again
 *   transient failure    → due again after a backoff, until `retry.attempts` are used up
 *                          (then `failed`); a throttled gateway pauses the whole loop
 *
 * A crash between the gateway taking a text and the result being recorded sends that text
 * again once its lease lapses: at least once, with the window one Redis write wide.
 */
import type { Logger } from 'pino';
import { jitteredBackoffMs } from '../shared/backoff.js';
import { FailureStreak } from '../shared/failure-streak.js';
import { sleep } from '../shared/sleep.js';
import type { SmsConfig } from './config-schema.js';
import type { SmsMetrics } from './metrics.js';
import type { SmsOutbox, StoredSms } from './outbox.js';
import type { SmsGateway, SubmitResult } from './ports/sms-gateway.js';
import type { SmsStatusReport } from './sms-events.js';

export interface SmsSenderDeps {
  outbox: SmsOutbox;
  gateway: SmsGateway;
  config: Pick<SmsConfig, 'retry' | 'leaseMs' | 'pollMs' | 'concurrency'>;
  metrics: SmsMetrics;
  log: Logger;
  report(report: SmsStatusReport): void;
  /** After a text is recorded as submitted (the survey's reply matching). */
  onSubmitted?(sms: StoredSms): Promise<void>;
}

/** The queue depth is read from Redis at most this often. */
const DEPTH_EVERY_MS = 2000;

export class SmsSender {
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private throttledUntil = 0;
  private throttleStreak = 0;
  private depthReadAt = 0;
  private readonly failures = new FailureStreak();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: SmsSenderDeps) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp?.();
    await this.running;
  }

  /** A text was just stored: look now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Resolves once the sends under way now have their results recorded: a receipt can beat
   * its own submit's record (the SMSC answers, then reports delivery at once).
   */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Why texts are not going out, or null. */
  unreadiness(): string | null {
    if (this.failures.streak >= 3) return `SMS outbox unreachable (${this.failures.streak} failures in a row: ${this.failures.lastError})`;
    return null;
  }

  private async loop(): Promise<void> {
    const { config, outbox, metrics } = this.deps;
    while (!this.abort.signal.aborted) {
      const pause = this.throttledUntil - Date.now();
      if (pause > 0) await sleep(pause, this.abort.signal);
      try {
        const batch = await outbox.claim(Date.now(), config.leaseMs, config.concurrency);
        if (Date.now() - this.depthReadAt > DEPTH_EVERY_MS) {
          this.depthReadAt = Date.now();
          metrics.queueDepth.set(await outbox.depth());
        }
        this.failures.succeeded();
        if (batch.length === 0) {
          await this.idle();
          continue;
        }
        await Promise.all(
          batch.map((sms) => {
            const sending = this.sendOne(sms).finally(() => this.inFlight.delete(sending));
            this.inFlight.add(sending);
            return sending;
          }),
        );
      } catch (err) {
        if (this.failures.failed(err)) this.deps.log.error({ err, streak: this.failures.streak }, 'SMS outbox: claiming texts failed; retrying');
        await sleep(jitteredBackoffMs(this.failures.streak, 100, 5000), this.abort.signal);
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.deps.config.pollMs);
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wakeUp = null;
    });
  }

  private async sendOne(sms: StoredSms): Promise<void> {
    const { gateway, outbox, metrics, config, log } = this.deps;
    const result = await this.submit(sms);
    const now = Date.now();
    const report = (status: SmsStatusReport['status'], code: string, messageIds: string[] = []) =>
      this.deps.report({ key: sms.key, ticketNumber: sms.ticketNumber, purpose: sms.purpose, status, messageIds, code, attempts: sms.attempts, gateway: gateway.name });
    try {
      if (result.ok) {
        await outbox.submitted(sms, result.messageIds, now);
        metrics.submitted.inc({ gateway: gateway.name, purpose: sms.purpose });
        this.throttleStreak = 0;
        report('submitted', '', result.messageIds);
        // Only reply matching depends on it; the text itself is recorded and done.
        await this.deps.onSubmitted?.(sms).catch((err: unknown) => log.warn({ err, key: sms.key }, 'SMS sent, but its reply matching was not stored'));
        return;
      }
      const { failure } = result;
      metrics.failed.inc({ gateway: gateway.name, kind: failure.kind });
      if (failure.kind === 'permanent') {
        await outbox.finished(sms, 'rejected', failure.code, failure.detail, now);
        log.warn({ key: sms.key, ticketNumber: sms.ticketNumber, code: failure.code, detail: failure.detail }, 'SMS refused for good: not retried');
        report('rejected', failure.code);
        return;
      }
      if (failure.throttled) {
        metrics.throttled.inc({ gateway: gateway.name });
        this.throttleStreak++;
        this.throttledUntil = Math.max(this.throttledUntil, now + jitteredBackoffMs(this.throttleStreak, config.retry.firstMs, config.retry.maxMs));
      }
      if (sms.attempts >= config.retry.attempts) {
        await outbox.finished(sms, 'failed', failure.code, failure.detail, now);
        log.warn({ key: sms.key, ticketNumber: sms.ticketNumber, attempts: sms.attempts, code: failure.code }, 'SMS given up: attempts used up');
        report('failed', failure.code);
        return;
      }
      // A throttled text comes back when the pause ends; others after their own backoff.
      const at = failure.throttled ? Math.max(this.throttledUntil, now) : now + jitteredBackoffMs(sms.attempts, config.retry.firstMs, config.retry.maxMs);
      await outbox.retryAt(sms, at, failure.code, failure.detail, now);
    } catch (err) {
      // The result is not recorded: the lease lapses and the text is tried again.
      if (this.failures.failed(err)) log.error({ err, key: sms.key }, 'SMS outbox: recording a result failed; the text comes due again after its lease');
    }
  }

  private async submit(sms: StoredSms): Promise<SubmitResult> {
    if (!sms.to) return { ok: false, failure: { kind: 'permanent', code: 'no-number', detail: 'the stored text has no number' } };
    try {
      return await this.deps.gateway.submit({ to: sms.to, text: sms.text, purpose: sms.purpose, params: sms.params, reference: sms.key });
    } catch (err) {
      return { ok: false, failure: { kind: 'transient', code: 'gateway-error', detail: err instanceof Error ? err.message : String(err) } };
    }
  }
}
