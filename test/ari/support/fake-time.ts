/**
 * Fake timeouts for the tests that outwait ari-client's reconnect backoff: a fixed
 * setTimeout chain inside ari-client, about 43 s in all, that no option shortens.
 *
 * Installed with `shouldAdvanceTime`, the fake clock still moves at wall-clock pace, so
 * sockets, the simulator and the adapter behave as with real timers; `leapUntil` moves it on
 * in steps, letting the real socket work happen between steps, until what the test waits
 * for is seen. Only setTimeout and clearTimeout are faked (ari-client's backoff, the
 * adapter's retry and request timers, the simulator's clock).
 *
 * `itAcrossAriClientRetries` runs a scenario that way by default, and once more against
 * ari-client's real timers, waiting the whole window out, when SLOW_TESTS=1 is set.
 */
import { it, vi } from 'vitest';

/** How a scenario waits for what the passing of ari-client's backoff brings. */
export type WaitFor = (what: string, check: () => boolean) => Promise<void>;

export function useFakeTimeouts(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
}

/** Moves fake time on `stepMs` at a time until `check` holds; fails after `limitMs` of real time. */
export async function leapUntil(what: string, check: () => boolean, { stepMs = 250, limitMs = 15_000 } = {}): Promise<void> {
  await vi.waitFor(
    async () => {
      if (check()) return;
      await vi.advanceTimersByTimeAsync(stepMs);
      if (!check()) throw new Error(`${what}: not seen within ${limitMs} ms of real time`);
    },
    { timeout: limitMs, interval: 5 },
  );
}

const waitInRealTime: WaitFor = (what, check) =>
  vi.waitFor(() => {
    if (!check()) throw new Error(`${what}: not seen within 75 s`);
  }, { timeout: 75_000, interval: 100 });

/** The scenario on fake time through ari-client's backoff; also in real time (about 45 s) with SLOW_TESTS=1. */
export function itAcrossAriClientRetries(name: string, scenario: (waitFor: WaitFor) => Promise<void>): void {
  it(`${name} (fake time through its backoff)`, async () => {
    useFakeTimeouts();
    await scenario(leapUntil);
  });
  it.runIf(process.env.SLOW_TESTS === '1')(`${name} (real time, about 45 s)`, () => scenario(waitInRealTime), 120_000);
}
