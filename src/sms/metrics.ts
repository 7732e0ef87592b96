/**
 * The SMS part's Prometheus metrics, registered on the registry the wiring passes in. The
 * queue depth is the sender's last reading from Redis: a scrape never waits on Redis.
 */
import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';

export interface SmsMetrics {
  submitted: Counter<'gateway' | 'purpose'>;
  failed: Counter<'gateway' | 'kind'>;
  throttled: Counter<'gateway'>;
  receipts: Counter<'gateway' | 'status'>;
  suppressed: Counter<'reason'>;
  replies: Counter<'gateway'>;
  queueDepth: Gauge;
  gatewayReady: Gauge;
  unregister(): void;
}

/** `gatewayReady` is read at scrape time, from memory. */
export function createSmsMetrics(gatewayReady: () => boolean, registry: Registry = globalRegister): SmsMetrics {
  const registers = [registry];
  const metrics = {
    submitted: new Counter({ name: 'sms_submitted_total', help: 'Texts the gateway took', labelNames: ['gateway', 'purpose'] as const, registers }),
    failed: new Counter({
      name: 'sms_failed_total',
      help: 'Failed submits (kind: transient, retried while attempts last; permanent, never retried)',
      labelNames: ['gateway', 'kind'] as const,
      registers,
    }),
    throttled: new Counter({ name: 'sms_throttled_total', help: 'Submits the gateway refused as too fast (the sender backs off)', labelNames: ['gateway'] as const, registers }),
    receipts: new Counter({ name: 'sms_receipts_total', help: 'Delivery receipts received, by status', labelNames: ['gateway', 'status'] as const, registers }),
    suppressed: new Counter({ name: 'sms_suppressed_total', help: 'Texts not sent (reason: opted-out, daily-cap)', labelNames: ['reason'] as const, registers }),
    replies: new Counter({ name: 'sms_replies_total', help: 'Texts citizens sent in (survey ratings and others)', labelNames: ['gateway'] as const, registers }),
    queueDepth: new Gauge({ name: 'sms_queue_depth', help: 'Texts waiting to be sent or being sent (last reading)', registers }),
    gatewayReady: new Gauge({
      name: 'sms_gateway_ready',
      help: '1 while texts can go out (the SMPP session bound; always 1 for the HTTP gateways)',
      registers,
      collect() {
        this.set(gatewayReady() ? 1 : 0);
      },
    }),
  };
  return {
    ...metrics,
    unregister() {
      for (const name of ['sms_submitted_total', 'sms_failed_total', 'sms_throttled_total', 'sms_receipts_total', 'sms_suppressed_total', 'sms_replies_total', 'sms_queue_depth', 'sms_gateway_ready']) {
        registry.removeSingleMetric(name);
      }
    },
  };
}
