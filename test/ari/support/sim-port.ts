/**
 * A simulator and an adapter connected to it, with the adapter's log captured: the setup
 * of every integration test of the ARI port.
 */
import { startAriSimulator, type AriSimulator } from '../../../sim/index.js';
import { AriClientAdapter, type AriAdapterOptions } from '../../../src/ari/ari-client-adapter.js';
import type { AriEvent, AriEventOf, AriEventType } from '../../../src/ari/events.js';
import { captureLog, type CapturedLog } from './log-capture.js';

export const USERNAME = 'hotline';
/** Distinctive, with characters that URL encoding changes, so any leak is easy to spot. */
export const PASSWORD = 'Pw-7f3#q@Z!9/x';

export interface Harness {
  sim: AriSimulator;
  ari: AriClientAdapter;
  logs: CapturedLog;
  events: AriEvent[];
  /** Resolves with the first event (already seen or still to come) of `type` matching `match`. */
  nextEvent<T extends AriEventType>(type: T, match?: (e: AriEventOf<T>) => boolean): Promise<AriEventOf<T>>;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<AriAdapterOptions> = {},
  simOptions: { speed?: number } = {},
): Promise<Harness> {
  const sim = await startAriSimulator({ port: 0, username: USERNAME, password: PASSWORD, speed: simOptions.speed ?? 20 });
  const logs = captureLog();
  const ari = new AriClientAdapter({
    url: sim.url,
    username: USERNAME,
    password: PASSWORD,
    app: 'hotline',
    requestTimeoutMs: 2000,
    reconnectMaxDelayMs: 1000,
    connectTimeoutMs: 1000,
    log: logs.log,
    ...overrides,
  });
  const events: AriEvent[] = [];
  const waiters = new Set<(e: AriEvent) => void>();
  ari.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) w(e);
  });
  await ari.connect();

  function nextEvent<T extends AriEventType>(type: T, match: (e: AriEventOf<T>) => boolean = () => true): Promise<AriEventOf<T>> {
    const hit = (e: AriEvent): e is AriEventOf<T> => e.type === type && match(e as AriEventOf<T>);
    const seen = events.find(hit);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = (e: AriEvent): void => {
        if (!hit(e)) return;
        waiters.delete(waiter);
        resolve(e);
      };
      waiters.add(waiter);
    });
  }

  return {
    sim,
    ari,
    logs,
    events,
    nextEvent,
    async close() {
      await ari.close();
      await sim.close();
    },
  };
}

/** Polls until `check` holds; the test's own timeout bounds the wait. */
export async function until(check: () => boolean, stepMs = 20): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, stepMs));
}
