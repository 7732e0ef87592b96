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
  /**
   * Resolves with the first event (already seen or still to come) of `type` matching
   * `match`; fails when none has come within `timeoutMs`.
   */
  nextEvent<T extends AriEventType>(type: T, match?: (e: AriEventOf<T>) => boolean, timeoutMs?: number): Promise<AriEventOf<T>>;
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

  function nextEvent<T extends AriEventType>(type: T, match: (e: AriEventOf<T>) => boolean = () => true, timeoutMs = 5000): Promise<AriEventOf<T>> {
    const hit = (e: AriEvent): e is AriEventOf<T> => e.type === type && match(e as AriEventOf<T>);
    const seen = events.find(hit);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching ${type} event within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (e: AriEvent): void => {
        if (!hit(e)) return;
        clearTimeout(timer);
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

/** How long a test waits for something the adapter or the simulator does by itself. */
export const SOON = { timeout: 5000, interval: 10 } as const;
