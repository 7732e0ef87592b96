/** The call recorder's figures: how recordings start and end, and hand-overs not done yet. */
import { Counter, Gauge, type Registry } from 'prom-client';

export type CaptureEvent = 'started' | 'start-retried' | 'start-failed' | 'finished' | 'archived' | 'handover-failed' | 'asterisk-copy-deleted';

export interface CaptureMetrics {
  count(event: CaptureEvent): void;
  setPending(n: number): void;
  unregister(): void;
}

const EVENTS = 'hotline_recording_capture_total';
const PENDING = 'hotline_recording_handover_pending';

export function createCaptureMetrics(registry: Registry): CaptureMetrics {
  const events = new Counter({
    name: EVENTS,
    help: 'Call recordings on Asterisk: started, a start retried or failed (the call went on unrecorded), finished, archived, a hand-over attempt that failed, Asterisk\'s copy deleted',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const pending = new Gauge({ name: PENDING, help: 'Finished call recordings not yet confirmed by the archive (their file is still on Asterisk)', registers: [registry] });
  return {
    count: (event) => events.inc({ event }),
    setPending: (n) => pending.set(n),
    unregister: () => {
      registry.removeSingleMetric(EVENTS);
      registry.removeSingleMetric(PENDING);
    },
  };
}
