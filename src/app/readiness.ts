/**
 * What /readyz reports: one named check per part, each answered from memory at once (never
 * by waiting on Redis or a backend), so readiness stays quick exactly when something is down.
 */
import { withTimeout } from '../shared/with-timeout.js';

export interface CheckResult {
  ok: boolean;
  /** Why not, in words an operator can act on. */
  reason?: string;
}

export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async report(timeoutMs: number): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await settle(check, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.ok), checks };
  }
}

async function settle(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  try {
    return await withTimeout(Promise.resolve().then(check), timeoutMs, 'check');
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

/** The ARI port's check: connected; or why not, with a takeover by another connection named as such. */
export function ariReadiness(ari: { app: string; isConnected(): boolean; takenOverSince?(): number | undefined }): CheckResult {
  if (ari.isConnected()) return { ok: true };
  const since = ari.takenOverSince?.();
  if (since !== undefined) {
    return { ok: false, reason: `another connection took over the ARI app "${ari.app}" at ${new Date(since).toISOString()} (ApplicationReplaced): this instance hears no calls until the app is free` };
  }
  return { ok: false, reason: 'not connected to Asterisk (ARI)' };
}
