/**
 * Liveness, readiness and metrics.
 *   /healthz  the process answers (for a restart decision)
 *   /readyz   every part's check (ARI connected, Redis answering, not draining, the ticket
 *             bridge delivering …), 503 with the reasons when one fails
 *   /metrics  Prometheus text format
 * None of them waits on Redis or a backend beyond a short bound: they must answer exactly
 * when something is down.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { TimeoutError, withTimeout } from '../../shared/with-timeout.js';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; reason?: string }>;
}

export interface HealthDeps {
  readiness: { report(timeoutMs: number): Promise<ReadinessReport> };
  metrics: Registry;
}

/** The longest any readiness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 750;
/** The longest a scrape may take: collectors answer from memory, this only guards a mistake. */
const SCRAPE_TIMEOUT_MS = 900;

export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/readyz', async (_request, reply) => {
      const { ready, checks } = await deps.readiness.report(CHECK_TIMEOUT_MS);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
    });

    app.get('/metrics', async (_request, reply) => {
      const text = await withTimeout(deps.metrics.metrics(), SCRAPE_TIMEOUT_MS, 'metrics').catch((err: unknown) => {
        if (err instanceof TimeoutError) return null;
        throw err;
      });
      if (text === null) return reply.status(503).send({ error_id: 'metrics-timeout', message: `metrics not collected within ${SCRAPE_TIMEOUT_MS} ms` });
      reply.header('content-type', deps.metrics.contentType);
      return text;
    });
  };
}
