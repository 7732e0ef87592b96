/**
 * The app lease wired to the ARI port and the service (ARI_APP_LEASE_MS > 0): instances
 * started with the same ARI_APP take turns on it. The holder connects its ARI and drives the
 * app; another stands by (HTTP up, /readyz "standby: app … held by …", no ARI connection, no
 * routing) and takes the app within a lease of the holder's death: its ARI connects and the
 * call registry adopts every live call where it was (the restart path).
 *
 * SIGTERM on the holder with a standby waiting is a hand-over, not a drain: the ARI socket
 * closes before anything else (this process can no longer touch a call), the lease is given
 * back, and the standby adopts the live calls; none goes back to the dialplan. With no
 * standby, the usual drain runs and the lease is given back after it. A standby stops without
 * touching a call: after a takeover its copies of calls belong to the instance holding the app.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AppLease, AppSlot, createAppSlotMetric } from '../app-lease/index.js';
import { appHolder, type AriClientAdapter } from '../ari/index.js';
import type { Env } from '../config/env.js';
import { createRedis } from '../redis/connection.js';
import { ariReadiness } from './readiness.js';
import type { HotlineService } from './service.js';

export interface WiredAppLease {
  /** Resolves once this instance drives the app (hand it to startHotlineService as appHeld). */
  held: Promise<void>;
  /** Starts competing for the app, with the service's readiness check and metric. */
  start(service: HotlineService): void;
  /** What SIGTERM does: hand the calls over to a waiting standby, or drain; then the lease is given back. */
  shutdown(graceMs: number): Promise<void>;
}

function instanceToken(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export function wireAppLease(env: Env, ari: AriClientAdapter, ariAccess: { url: string; password: string }, log: Logger): WiredAppLease {
  const partLog = log.child({ part: 'app-lease' });
  const redis = createRedis({ url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX, log, name: 'app-lease' });
  const lease = new AppLease(redis, env.REDIS_KEY_PREFIX, env.ARI_APP, instanceToken(), env.ARI_APP_LEASE_MS);
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => (markHeld = resolve));
  let drivenBefore = false;
  let metric: ReturnType<typeof createAppSlotMetric> | undefined;
  let service: HotlineService | undefined;

  const slot = new AppSlot({
    lease,
    log: partLog,
    newToken: instanceToken,
    appHolder: () => appHolder({ url: ariAccess.url, username: env.ARI_USERNAME, password: ariAccess.password, app: env.ARI_APP, timeoutMs: env.ARI_REQUEST_TIMEOUT_MS }),
    async drive() {
      if (drivenBefore) return ari.takeBack();
      drivenBefore = true;
      markHeld();
      // The service's dialers start on `held` first, then the socket opens and calls are adopted.
      await held;
      ari.connect().catch(() => {
        // Rejects only when closed before ever connecting (shutdown): nothing to do.
      });
    },
    onRole: (role) => metric?.role(role),
  });
  ari.onTakenOver(() => slot.replaced());

  return {
    held,
    start(started) {
      service = started;
      metric = createAppSlotMetric(started.metrics, env.ARI_APP);
      metric.role(slot.role);
      started.readiness.add('ari', () =>
        slot.role === 'standby'
          ? { ok: false, reason: `standby: app ${env.ARI_APP} held by ${slot.heldBy ?? 'another instance (not known: Redis not asked yet, or not answering)'}` }
          : ariReadiness(ari),
      );
      slot.start();
    },
    async shutdown(graceMs) {
      if (!service) throw new Error('the app lease was not started');
      if (slot.role === 'standby') {
        // No call of its own: a standby that once drove (taken over) holds only copies of calls another instance runs now.
        partLog.info({ app: env.ARI_APP }, 'stopping a standby: no call is touched');
        await service.handOver();
      } else if (await slot.standbyWaiting()) {
        partLog.info({ app: env.ARI_APP }, 'rolling restart: a standby waits for the app; the live calls are handed over to it, none back to the dialplan');
        await service.handOver();
      } else {
        await service.shutdown(graceMs);
      }
      await slot.stop();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
